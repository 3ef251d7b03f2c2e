import Foundation
import Glibc
import Logging
import Synchronization

/// Runs a host tool (`runc`, `ip`, `tar`, `mount`, `nft`) to completion and captures its output.
public enum HostCommand {
    /// What a finished command reported.
    public struct Result: Sendable {
        /// The exit code as a shell reports it (128+n after signal n; -1: killed at its deadline).
        public var status: Int32
        /// Its stdout and stderr together.
        public var output: String
    }

    /// A host tool failed.
    public struct Failure: Error, CustomStringConvertible {
        public var command: [String]
        public var result: Result
        public var description: String { "\(command.joined(separator: " ")): exit \(result.status): \(result.output)" }
    }

    private static let logger = Logger(label: "SkiffHostProcess.HostCommand")

    /// How long a host tool may run before it is killed (a layer's `tar` is the slowest).
    public static let defaultDeadline = Duration.seconds(120)

    /// Runs `arguments` (the first is the tool, looked up in PATH, or `NAME=value` settings for its
    /// environment before it); stdout and stderr together, read while it runs (a tool never
    /// blocks on a full pipe); `input` is written to its stdin. A tool still running after
    /// `deadline` is killed (SIGKILL) and reported as a failure with status -1, so a caller never
    /// waits for good. The status is a shell's (128+n after signal n).
    @discardableResult
    public static func run(_ arguments: [String], input: [UInt8]? = nil, check: Bool = true, deadline: Duration = defaultDeadline) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let stdin = input.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
        let output = OutputCollector()
        let waiter = Mutex<CheckedContinuation<Result, any Error>?>(nil)
        @Sendable func finish(_ outcome: Swift.Result<Result, any Error>) {
            waiter.withLock { continuation in
                continuation?.resume(with: outcome)
                continuation = nil
            }
        }
        let result: Result = try await withCheckedThrowingContinuation { continuation in
            waiter.withLock { $0 = continuation }
            do {
                try process.run { code in finish(.success(Result(status: code, output: output.wait()))) }
            } catch {
                process.terminationHandler = nil
                finish(.failure(error))
                return
            }
            output.collect(from: pipe.fileHandleForReading)
            if let stdin, let input {
                // A tool that exits without reading its input is reported by its status.
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
            let pid = process.processIdentifier
            let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                guard waiter.withLock({ $0 != nil }) else { return }
                // A zombie has exited but was never reaped: its exit went unreported.
                let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
                logger.warning(
                    "host tool past its deadline: killed", metadata: ["command": "\(arguments.joined(separator: " "))", "state": "\(state ?? "gone")"])
                kill(pid, SIGKILL)
                finish(.success(Result(status: -1, output: "killed: still running after \(deadline)")))
            }
        }
        if check, result.status != 0 { throw Failure(command: arguments, result: result) }
        return result
    }

    /// Whether `tool` is on PATH.
    public static func available(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }
}

/// A child's output, read to its end on a thread of its own while the child runs.
private final class OutputCollector: Sendable {
    private let data = Mutex(Data())
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `handle` to its end.
    func collect(from handle: FileHandle) {
        DispatchQueue.global().async {
            let read = handle.readDataToEndOfFile()
            self.data.withLock { $0 = read }
            self.done.signal()
        }
    }

    /// The output, once all of it was read.
    func wait() -> String {
        done.wait()
        done.signal()
        return data.withLock { String(decoding: $0, as: UTF8.self) }
    }
}
