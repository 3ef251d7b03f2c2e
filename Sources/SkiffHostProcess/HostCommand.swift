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
    /// blocks on a full pipe); `input` is written to its stdin. The result comes once the tool
    /// has exited and its output ended. A tool not done after `deadline` is killed (SIGKILL) and
    /// reported as a failure with status -1, so a caller never waits for good. The status is a
    /// shell's (128+n after signal n).
    @discardableResult
    public static func run(_ arguments: [String], input: [UInt8]? = nil, check: Bool = true, deadline: Duration = defaultDeadline) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = try HostPipe()
        process.standardOutput = output.writing
        process.standardError = output.writing
        let stdin = try input.map { _ in try HostPipe() }
        process.standardInput = stdin?.reading ?? FileHandle.nullDevice
        let completion = Completion()
        let result: Result = try await withCheckedThrowingContinuation { continuation in
            completion.start(continuation)
            do {
                // Nothing here may block: Foundation reports every child's exit from one thread.
                try process.run { code in completion.exited(code) }
            } catch {
                process.terminationHandler = nil
                completion.fail(error)
                return
            }
            // The child holds its own copies now; the output ends when the child's do.
            try? output.writing.close()
            try? stdin?.reading.close()
            DispatchQueue.global().async {
                let read = output.reading.readDataToEndOfFile()
                try? output.reading.close()
                completion.outputEnded(String(decoding: read, as: UTF8.self))
            }
            if let stdin, let input {
                // A tool that exits without reading its input is reported by its status.
                try? stdin.writing.write(contentsOf: input)
                try? stdin.writing.close()
            }
            let pid = process.processIdentifier
            let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                // The result is given first, so the exit the kill causes cannot be reported instead.
                guard let running = completion.timedOut("killed: still running after \(deadline)") else { return }
                logger.warning("host tool past its deadline: killed", metadata: ["command": "\(arguments.joined(separator: " "))"])
                if running { kill(pid, SIGKILL) }
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

/// Where a host tool's run stands: its result is given once it has exited and its output has
/// ended, or at once when it fails to start or passes its deadline; exactly once.
private final class Completion: Sendable {
    private struct State {
        var continuation: CheckedContinuation<HostCommand.Result, any Error>?
        var status: Int32?
        var output: String?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<HostCommand.Result, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func exited(_ status: Int32) { update { $0.status = status } }

    func outputEnded(_ output: String) { update { $0.output = output } }

    func fail(_ error: any Error) { take()?.resume(throwing: error) }

    /// Gives the result `message` with status -1, unless a result was given already (nil);
    /// returns whether the tool was still running then (it has not exited, so its pid is still its own).
    func timedOut(_ message: String) -> Bool? {
        let (continuation, running) = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.status == nil)
        }
        guard let continuation else { return nil }
        continuation.resume(returning: HostCommand.Result(status: -1, output: message))
        return running
    }

    private func update(_ change: (inout State) -> Void) {
        let ready: (CheckedContinuation<HostCommand.Result, any Error>, HostCommand.Result)? = state.withLock { state in
            change(&state)
            guard let continuation = state.continuation, let status = state.status, let output = state.output else { return nil }
            state.continuation = nil
            return (continuation, HostCommand.Result(status: status, output: output))
        }
        if let (continuation, result) = ready { continuation.resume(returning: result) }
    }

    private func take() -> CheckedContinuation<HostCommand.Result, any Error>? {
        state.withLock { state in
            defer { state.continuation = nil }
            return state.continuation
        }
    }
}
