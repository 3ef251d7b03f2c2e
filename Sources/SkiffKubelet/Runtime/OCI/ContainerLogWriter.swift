import Foundation
import SkiffAPI
import Synchronization

/// Writes a container's stdout and stderr to its log file in the CRI format, one line per
/// record: `<RFC 3339 nano timestamp> <stream> <F|P> <text>` (`P` for a partial line, when a line
/// is still unterminated at the end of the output).
final class ContainerLogWriter: Sendable {
    /// The streams of a container.
    enum Stream: String, Sendable {
        case stdout
        case stderr
    }

    private struct State {
        var pending: [Stream: [UInt8]] = [:]
    }

    private let file: FileHandle
    private let state = Mutex(State())

    /// A writer appending to `path` (created if missing).
    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let file = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
        file.seekToEndOfFile()
        self.file = file
    }

    /// Writes `bytes` the container wrote to `stream`, full lines as they complete.
    func append(_ bytes: [UInt8], _ stream: Stream) {
        state.withLock { state in
            var buffer = state.pending[stream, default: []] + bytes
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                write(buffer[..<newline], stream, full: true)
                buffer.removeSubrange(...newline)
            }
            state.pending[stream] = buffer
        }
    }

    /// `stream` has ended: an unterminated last line is written as a partial one.
    func flush(_ stream: Stream) {
        state.withLock { state in
            if let rest = state.pending.removeValue(forKey: stream), !rest.isEmpty { write(rest[...], stream, full: false) }
        }
    }

    private func write(_ line: ArraySlice<UInt8>, _ stream: Stream, full: Bool) {
        let prefix = "\(Self.timestamp(.now())) \(stream.rawValue) \(full ? "F" : "P") "
        file.write(Data(Array(prefix.utf8) + line + [UInt8(ascii: "\n")]))
    }

    /// RFC 3339 with nanoseconds, as CRI log records carry.
    static func timestamp(_ time: Timestamp) -> String {
        let base = time.rfc3339
        let nanos = String(time.nanoseconds)
        return base.dropLast() + "." + String(repeating: "0", count: 9 - nanos.count) + nanos + "Z"
    }
}
