import Foundation
import SkiffMetrics

/// One `skiff` component run as its own process for a benchmark, its output in a log file, its
/// CPU time and resident memory read from `/proc/<pid>` (`ProcessMetrics`).
final class ComponentProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; it is started in `init` and then only read
    // (processIdentifier, isRunning) or stopped once, by the benchmark's single task.
    let name: String
    let logPath: String
    private let process = Process()
    private let log: FileHandle

    /// Starts `executable` with `arguments`, logging to `<directory>/<name>.log`.
    init(name: String, executable: String, arguments: [String], directory: String) throws {
        self.name = name
        logPath = directory + "/" + name + ".log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw BenchmarkError("cannot create \(logPath)") }
        log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// User and system CPU seconds so far.
    var cpuSeconds: Double { ProcessMetrics.read(pid: String(process.processIdentifier))?.cpuSeconds ?? 0 }

    /// Resident memory in MiB.
    var residentMiB: Double { (ProcessMetrics.read(pid: String(process.processIdentifier))?.residentMemoryBytes ?? 0) / (1024 * 1024) }

    /// Waits until the log holds `text`; throws if the process exits first or `timeout` passes.
    func waitForLog(_ text: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let contents = try? String(contentsOfFile: logPath, encoding: .utf8), contents.contains(text) { return }
            guard process.isRunning else { throw BenchmarkError("\(name) exited with \(process.terminationStatus) (log: \(logPath))") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError("\(name) did not log \"\(text)\" within \(timeout) (log: \(logPath))")
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    func stop(grace: Duration = .seconds(20)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? log.close()
    }
}
