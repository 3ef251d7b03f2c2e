import Foundation

/// Writes lines to standard output unbuffered, so a supervising process sees them at once.
enum Console {
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
