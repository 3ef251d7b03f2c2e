import Foundation
import Glibc
import SkiffAPI
import SkiffHostProcess
import Synchronization

/// One container's `runc run`, in the foreground: its output goes to the container's log file
/// and to attached clients, its exit (code and time) is recorded for status calls to read.
///
/// runc runs under a small `sh` that writes runc's exit code to the bundle's `exit` file, and its
/// stdout and stderr are FIFOs in the bundle (`stdout`, `stderr`) that runc holds open for reading
/// and writing: when the kubelet dies, runc neither gets EPIPE nor loses the container's output
/// (the FIFOs buffer it), and a restarted kubelet adopts the container (`init(adopting:)`): it
/// reads the FIFOs again and learns the exit code from the file. A container with `tty` runs on a
/// `PseudoTerminal` of the kubelet's (its output is one stream, stdout), which hangs up when the
/// kubelet dies (the container gets SIGHUP); one with `stdin` reads a pipe that attached clients
/// write to, which an adopted container no longer has.
final class ContainerProcess: Sendable {
    /// How the process ended.
    struct Exit: Sendable, Hashable {
        var code: Int32
        var at: Timestamp
    }

    /// The bundle's files the process uses.
    struct Files: Sendable {
        var bundle: String
        var stdout: String { "\(bundle)/stdout" }
        var stderr: String { "\(bundle)/stderr" }
        var exit: String { "\(bundle)/exit" }

        /// The exit the `sh` around runc wrote, once it has.
        func readExit() -> Exit? {
            guard let data = FileManager.default.contents(atPath: exit),
                let code = Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                let modified = (try? FileManager.default.attributesOfItem(atPath: exit))?[.modificationDate] as? Date
            else { return nil }
            return Exit(code: code, at: Timestamp(seconds: Int64(modified.timeIntervalSince1970)))
        }
    }

    /// Writes runc's exit code (128+n when a signal ended it) to the file named first.
    private static let wrapper = #"exit_file=$1; shift; "$@"; code=$?; echo "$code" > "$exit_file"; exit "$code""#

    /// The exit code reported for an adopted container whose exit was not recorded (upstream's
    /// kubelet reports 137 for a container it cannot locate).
    static let unknownExitCode: Int32 = 137

    private let files: Files
    private let exit: ExitRecord
    private let attached = AttachedOutput()
    private let terminal: PseudoTerminal?
    /// Where attached clients' input goes: the terminal, or the stdin pipe; nil without stdin.
    private let input: FileHandle?
    private let closesInputAfterFirstAttach: Bool

    /// Starts `runc --root <stateRoot> run --keep --bundle <bundle> <id>`, logging to `logPath`; with
    /// `tty` (the bundle's `process.terminal`) on a terminal, with `stdin` its stdin open to
    /// attached clients (closed after the first one with `stdinOnce`).
    init(runc: String, stateRoot: String, bundle: String, id: String, logPath: String, tty: Bool, stdin: Bool, stdinOnce: Bool) throws {
        files = Files(bundle: bundle)
        let exit = ExitRecord()
        self.exit = exit
        let writer = try ContainerLogWriter(path: logPath)
        // `--keep`: the stopped container and its cgroups stay until `runc delete`, so that its
        // OOM kills can be read after the exit (`ContainerCgroupStats.oomKilled`).
        let run = [runc, "--root", stateRoot, "run", "--keep", "--bundle", bundle, id]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", Self.wrapper, "sh", files.exit] + (tty ? PseudoTerminal.command(run) : run)
        var outputs: [(ExecStreams.Output, AsyncStream<[UInt8]>)]
        var runcEnds: [FileHandle] = []
        if tty {
            let terminal = try PseudoTerminal()
            process.standardInput = terminal.secondary
            process.standardOutput = terminal.secondary
            process.standardError = terminal.secondary
            runcEnds = [terminal.secondary]
            outputs = [(.stdout, terminal.output())]
            self.terminal = terminal
            input = stdin ? terminal.primary : nil
        } else {
            let stdinPipe = stdin ? try HostPipe() : nil
            process.standardInput = stdinPipe?.reading ?? FileHandle.nullDevice
            input = stdinPipe?.writing
            if let stdinPipe { runcEnds.append(stdinPipe.reading) }
            terminal = nil
            outputs = []
            for (output, path) in [(ExecStreams.Output.stdout, files.stdout), (.stderr, files.stderr)] {
                guard mkfifo(path, 0o600) == 0 || errno == EEXIST else { throw POSIXError.last }
                // runc's end: read-write, so the FIFO always has a reader (no EPIPE without the kubelet).
                let runcEnd = try Self.open(path, O_RDWR)
                runcEnds.append(runcEnd)
                if output == .stdout { process.standardOutput = runcEnd } else { process.standardError = runcEnd }
                outputs.append((output, DescriptorReader.chunks(of: try Self.open(path, O_RDONLY | O_NONBLOCK))))
            }
        }
        closesInputAfterFirstAttach = stdinOnce && !tty
        try process.run { code in exit.record(Exit(code: code, at: .now())) }
        for end in runcEnds { try? end.close() }
        follow(outputs, writer: writer) {}
    }

    /// Takes over a container a previous run of the kubelet started: its output is read from the
    /// bundle's FIFOs again (appended to `logPath`), its exit read from the bundle's exit file.
    init(adopting bundle: String, logPath: String) throws {
        files = Files(bundle: bundle)
        let exit = ExitRecord()
        self.exit = exit
        let writer = try ContainerLogWriter(path: logPath)
        terminal = nil
        input = nil
        closesInputAfterFirstAttach = false
        var outputs: [(ExecStreams.Output, AsyncStream<[UInt8]>)] = []
        for (output, path) in [(ExecStreams.Output.stdout, files.stdout), (.stderr, files.stderr)] {
            guard let reader = try? Self.open(path, O_RDONLY | O_NONBLOCK) else { continue }
            outputs.append((output, DescriptorReader.chunks(of: reader)))
        }
        let files = files
        // The FIFOs end when runc and its sh are gone; the sh wrote the exit file before.
        follow(outputs, writer: writer) { exit.record(files.readExit() ?? Exit(code: Self.unknownExitCode, at: .now())) }
    }

    /// How it ended, once it has.
    var exited: Exit? { exit.value }

    /// Streams the container's output from now on to the client, and the client's input and
    /// terminal sizes to the container, until the container's output ends; then its exit code.
    func attach(_ streams: ExecStreams) async -> Int32 {
        let output = attached.subscribe()
        let input = input
        let closesInput = closesInputAfterFirstAttach
        let feeder = Task {
            guard let stdin = streams.stdin, let input else { return }
            for await bytes in stdin {
                guard (try? input.write(contentsOf: bytes)) != nil else { break }
            }
            if closesInput { try? input.close() }
        }
        let terminal = terminal
        let resizer = Task {
            guard let terminal, let sizes = streams.resize else { return }
            for await size in sizes { terminal.resize(size) }
        }
        defer {
            feeder.cancel()
            resizer.cancel()
        }
        for await chunk in output { await streams.output(chunk.output, chunk.bytes) }
        return await exit.wait().code
    }

    /// Writes each output to the log and to attached clients until all have ended, then `ended`.
    private func follow(
        _ outputs: [(ExecStreams.Output, AsyncStream<[UInt8]>)], writer: ContainerLogWriter, ended: @escaping @Sendable () -> Void
    ) {
        let attached = attached
        Task {
            await withTaskGroup(of: Void.self) { group in
                for (output, chunks) in outputs {
                    let stream: ContainerLogWriter.Stream = output == .stdout ? .stdout : .stderr
                    group.addTask {
                        for await bytes in chunks {
                            writer.append(bytes, stream)
                            attached.publish(output, bytes)
                        }
                        writer.flush(stream)
                    }
                }
            }
            ended()
            attached.end()
        }
    }

    private static func open(_ path: String, _ flags: Int32) throws -> FileHandle {
        let descriptor = Glibc.open(path, flags | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError.last }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}

/// Where a container's exit is left, and who waits for it.
private final class ExitRecord: Sendable {
    private let state = Mutex<(exit: ContainerProcess.Exit?, waiters: [CheckedContinuation<ContainerProcess.Exit, Never>])>((nil, []))

    /// The exit, once recorded.
    var value: ContainerProcess.Exit? { state.withLock { $0.exit } }

    /// Records the exit (the first one recorded stays) and wakes the waiters.
    func record(_ exit: ContainerProcess.Exit) {
        let waiters = state.withLock { state in
            if state.exit == nil { state.exit = exit }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    /// The exit, once there is one.
    func wait() async -> ContainerProcess.Exit {
        await withCheckedContinuation { continuation in
            let exit = state.withLock { state in
                if state.exit == nil { state.waiters.append(continuation) }
                return state.exit
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }
}
