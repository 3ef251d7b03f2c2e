import Foundation
import SkiffHostProcess
import Synchronization

/// One `runc exec` child with the client's streams attached: stdin written as it arrives (closed
/// when the client closes it), stdout and stderr handed on in order, the exit code returned.
enum ExecProcess {
    /// Runs `arguments` (the first is the tool, looked up in PATH) until it exits and its output is
    /// drained; a process killed by signal n reports 128+n, as a shell does.
    static func run(_ arguments: [String], _ streams: ExecStreams) async throws -> Int32 {
        if streams.tty { return try await runWithTerminal(arguments, streams) }
        let process = tool(arguments)
        let stdin = try streams.stdin.map { _ in try HostPipe() }
        process.standardInput = stdin?.reading ?? FileHandle.nullDevice
        let stdout = try HostPipe()
        let stderr = try HostPipe()
        process.standardOutput = stdout.writing
        process.standardError = stderr.writing
        // Read as the descriptors say, not with readabilityHandler: on Linux its call at EOF is
        // sometimes missed (swift-corelibs-foundation#3275), and the exec then never ended.
        let chunks = DescriptorReader.merged([(.stdout, stdout.reading), (.stderr, stderr.reading)])
        let exit = try start(process)
        // The readers hold duplicates, and the child its own ends: the output ends with the child.
        for end in [stdout.reading, stderr.reading, stdout.writing, stderr.writing] + (stdin.map { [$0.reading] } ?? []) { try? end.close() }
        // A client writing to a command that no longer reads must not kill the kubelet with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let feeder = Task {
            guard let input = streams.stdin, let writer = stdin?.writing else { return }
            for await bytes in input {
                do { try writer.write(contentsOf: bytes) } catch { break }
            }
            try? writer.close()
        }
        defer { feeder.cancel() }
        let pid = process.processIdentifier
        return await withTaskCancellationHandler {
            for await (output, bytes) in chunks { await streams.output(output, bytes) }
            return await first(exit)
        } onCancel: {
            // A probe's timeout: the waits above end, and so must the runc process.
            kill(pid, SIGKILL)
        }
    }

    /// Runs `arguments` on a pseudo-terminal, its controlling terminal and stdin, stdout and
    /// stderr (see `PseudoTerminal`): the output comes on `stdout` only; each size the client
    /// sends is set on the terminal.
    static func runWithTerminal(_ arguments: [String], _ streams: ExecStreams) async throws -> Int32 {
        let terminal = try PseudoTerminal()
        let process = tool(PseudoTerminal.command(arguments))
        process.standardInput = terminal.secondary
        process.standardOutput = terminal.secondary
        process.standardError = terminal.secondary
        let exit = try start(process)
        try? terminal.secondary.close()
        let pid = process.processIdentifier
        let output = terminal.output()
        let feeder = Task {
            guard let stdin = streams.stdin else { return }
            for await bytes in stdin {
                guard terminal.write(bytes) else { break }
            }
        }
        let resizer = Task {
            guard let sizes = streams.resize else { return }
            for await size in sizes { terminal.resize(size) }
        }
        defer {
            feeder.cancel()
            resizer.cancel()
        }
        return await withTaskCancellationHandler {
            for await bytes in output { await streams.output(.stdout, bytes) }
            return await first(exit)
        } onCancel: {
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

extension ExecProcess {
    /// A process running `arguments` (the first is the tool, looked up in PATH).
    fileprivate static func tool(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        return process
    }

    /// Runs `process`; the stream gives its exit code, 128+n for a process killed by signal n.
    fileprivate static func start(_ process: Process) throws -> AsyncStream<Int32> {
        let (exit, exitInput) = AsyncStream<Int32>.makeStream()
        try process.run { code in
            exitInput.yield(code)
            exitInput.finish()
        }
        return exit
    }

    /// The stream's first element (-1 when it ends without one).
    fileprivate static func first(_ codes: AsyncStream<Int32>) async -> Int32 {
        for await code in codes { return code }
        return -1
    }
}

/// A value behind a lock that escaping closures (pipe handlers, output callbacks) can share.
private final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }
}
