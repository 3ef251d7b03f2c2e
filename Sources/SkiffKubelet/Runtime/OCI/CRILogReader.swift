import Foundation

/// Reads a CRI-format log file line by line; when following, waits for more lines while the
/// container runs (checking every 100 ms, as a file tail does) and ends once it has exited and
/// everything written has been read.
public struct CRILogReader: Sendable {
    /// The log file.
    public let path: String

    /// A reader of the file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The file's lines; `running` (when following) says whether more may come.
    public func lines(follow running: (@Sendable () async -> Bool)?) -> AsyncThrowingStream<String, any Error> {
        let cursor = Cursor(path: path)
        return AsyncThrowingStream(unfolding: {
            while true {
                if let line = cursor.next() { return line }
                guard let running, await running() else { return cursor.next() }
                try await Task.sleep(for: .milliseconds(100))
            }
        })
    }

    /// The read position in the file and the bytes read but not yet returned as lines.
    private final class Cursor: @unchecked Sendable {
        // Only touched by the stream's single consumer, one `next()` at a time.
        let handle: FileHandle?
        var buffer: [UInt8] = []

        init(path: String) {
            handle = FileHandle(forReadingAtPath: path)
        }

        func next() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    return line
                }
                guard let data = handle?.availableData, !data.isEmpty else { return nil }
                buffer += data
            }
        }
    }
}
