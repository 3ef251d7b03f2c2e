import Foundation
import Synchronization

/// One `runc exec` child with the client's streams attached: stdin written as it arrives (closed
/// when the client closes it), stdout and stderr handed on in order, the exit code returned.
enum ExecProcess {
    /// Runs `arguments` (the first is the tool, looked up in PATH) until it exits and its output is
    /// drained; a process killed by signal n reports 128+n, as a shell does.
    static func run(_ arguments: [String], _ streams: ExecStreams) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdin = streams.stdin.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
        let (chunks, sink) = AsyncStream<(ExecStreams.Output, [UInt8])>.makeStream()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let (exit, exitInput) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            exitInput.yield(finished.terminationReason == .uncaughtSignal ? 128 + finished.terminationStatus : finished.terminationStatus)
            exitInput.finish()
        }
        try process.run()
        let open = Shared(2)
        for (pipe, output) in [(stdout, ExecStreams.Output.stdout), (stderr, .stderr)] {
            PipeReader.read(pipe, chunk: { sink.yield((output, $0)) }, end: {
                if open.value.withLock({ $0 -= 1; return $0 == 0 }) { sink.finish() }
            })
        }
        // A client writing to a command that no longer reads must not kill the kubelet with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let feeder = Task {
            guard let input = streams.stdin, let writer = stdin?.fileHandleForWriting else { return }
            for await bytes in input {
                do { try writer.write(contentsOf: bytes) } catch { break }
            }
            try? writer.close()
        }
        defer { feeder.cancel() }
        let pid = process.processIdentifier
        return await withTaskCancellationHandler {
            for await (output, bytes) in chunks { await streams.output(output, bytes) }
            var code: Int32 = -1
            for await status in exit { code = status }
            return code
        } onCancel: {
            // A probe's timeout: stop waiting for output and end the runc process.
            sink.finish()
            kill(pid, SIGKILL)
        }
    }

    /// Runs `arguments` without input and returns its exit code and whole output.
    static func collect(_ arguments: [String]) async throws -> ExecResult {
        let output = Shared(ExecResult(exitCode: 0))
        let code = try await run(arguments, ExecStreams(command: []) { stream, bytes in
            output.value.withLock { result in
                if stream == .stdout { result.stdout += String(decoding: bytes, as: UTF8.self) } else { result.stderr += String(decoding: bytes, as: UTF8.self) }
            }
        })
        return output.value.withLock { result in
            result.exitCode = code
            return result
        }
    }
}

/// A value behind a lock that escaping closures (pipe handlers, output callbacks) can share.
private final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }
}
