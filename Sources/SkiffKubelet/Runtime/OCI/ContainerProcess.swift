import Foundation
import SkiffAPI
import Synchronization

/// One `runc run` child: the container in the foreground, its output going to the container's log
/// file, its exit (code and time) recorded by the termination handler for status calls to read.
final class ContainerProcess: Sendable {
    /// How the process ended.
    struct Exit: Sendable, Hashable {
        var code: Int32
        var at: Timestamp
    }

    /// Where the termination handler leaves the exit.
    private final class ExitRecord: Sendable {
        let value = Mutex<Exit?>(nil)
    }

    private let process = Process()
    private let exit = ExitRecord()
    private let writer: ContainerLogWriter

    /// Starts `runc --root <stateRoot> run --bundle <bundle> <id>`, logging to `logPath`.
    init(runc: String, stateRoot: String, bundle: String, id: String, logPath: String) throws {
        writer = try ContainerLogWriter(path: logPath)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [runc, "--root", stateRoot, "run", "--bundle", bundle, id]
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let exit = self.exit
        process.terminationHandler = { finished in
            // A signal-killed runc reports the signal; a container killed by one exits 128+n.
            let code = finished.terminationReason == .uncaughtSignal ? 128 + finished.terminationStatus : finished.terminationStatus
            exit.value.withLock { $0 = Exit(code: code, at: .now()) }
        }
        try process.run()
        writer.follow(stdout, as: .stdout)
        writer.follow(stderr, as: .stderr)
    }

    /// How it ended, once it has.
    var exited: Exit? { exit.value.withLock { $0 } }
}
