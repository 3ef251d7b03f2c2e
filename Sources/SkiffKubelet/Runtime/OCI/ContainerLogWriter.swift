import Foundation
import SkiffAPI
import Synchronization

/// Writes a container's stdout and stderr to its log file in the CRI format, one line per
/// record: `<RFC 3339 nano timestamp> <stream> <F|P> <text>` (`P` for a partial line: one still
/// unterminated at the end of the output, or each 16 KiB piece of a longer line, as containerd
/// splits them). A record the file refuses (a full disk) is dropped and counted, as containerd's
/// log writer drops it: the container goes on, and so does the kubelet.
final class ContainerLogWriter: Sendable {
    /// The streams of a container.
    enum Stream: String, Sendable {
        case stdout
        case stderr
    }

    private struct State {
        var pending: [Stream: [UInt8]] = [:]
        var droppedRecords = 0
    }

    /// The longest line written as one record (containerd's default `max_container_log_line_size`).
    static let maximumLineLength = 16 * 1024

    private let file: FileHandle
    private let state = Mutex(State())

    /// A writer appending to `path` (created if missing).
    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let file = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
        file.seekToEndOfFile()
        self.file = file
    }

    /// Writes `bytes` the container wrote to `stream`, full lines as they complete and long ones
    /// in pieces.
    func append(_ bytes: [UInt8], _ stream: Stream) {
        state.withLock { state in
            var buffer = state.pending[stream, default: []] + bytes
            while true {
                if let newline = buffer.prefix(Self.maximumLineLength + 1).firstIndex(of: UInt8(ascii: "\n")) {
                    write(buffer[..<newline], stream, full: true, state: &state)
                    buffer.removeSubrange(...newline)
                } else if buffer.count > Self.maximumLineLength {
                    write(buffer[..<Self.maximumLineLength], stream, full: false, state: &state)
                    buffer.removeSubrange(..<Self.maximumLineLength)
                } else {
                    break
                }
            }
            state.pending[stream] = buffer
        }
    }

    /// `stream` has ended: an unterminated last line is written as a partial one.
    func flush(_ stream: Stream) {
        state.withLock { state in
            if let rest = state.pending.removeValue(forKey: stream), !rest.isEmpty { write(rest[...], stream, full: false, state: &state) }
        }
    }

    /// How many records the file refused.
    var droppedRecords: Int { state.withLock { $0.droppedRecords } }

    private func write(_ line: ArraySlice<UInt8>, _ stream: Stream, full: Bool, state: inout State) {
        let prefix = "\(Self.timestamp(.now())) \(stream.rawValue) \(full ? "F" : "P") "
        do {
            try file.write(contentsOf: Array(prefix.utf8) + line + [UInt8(ascii: "\n")])
        } catch {
            state.droppedRecords += 1
        }
    }

    /// RFC 3339 with nanoseconds, as CRI log records carry.
    static func timestamp(_ time: Timestamp) -> String {
        let base = time.rfc3339
        let nanos = String(time.nanoseconds)
        return base.dropLast() + "." + String(repeating: "0", count: 9 - nanos.count) + nanos + "Z"
    }
}
