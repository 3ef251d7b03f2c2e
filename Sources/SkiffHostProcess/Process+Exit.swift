import Foundation
import Glibc
import Synchronization

extension Process {
    /// The finished process's exit code as a shell reports it: 128+n when signal n killed it.
    public var shellExitCode: Int32 {
        terminationReason == .uncaughtSignal ? 128 + terminationStatus : terminationStatus
    }

    /// Runs the process and calls `exited` once with its exit code as a shell reports it.
    /// Foundation's termination handler reports most exits, but it misses some when many
    /// children end at once: the child stays a zombie and nothing is ever reported (seen with a
    /// hundred pods starting). So the process is also looked at every second, and one found a
    /// zombie twice in a row (Foundation had a second to reap it) is reaped here.
    public func run(onExit exited: @escaping @Sendable (Int32) -> Void) throws {
        let report = ExitReport(exited)
        terminationHandler = { finished in report.exited(finished.shellExitCode) }
        try run()
        report.watch(processIdentifier, zombieBefore: false)
    }
}

/// Reports a child's exit once, from whichever notices it first.
final class ExitReport: Sendable {
    private let handler: Mutex<(@Sendable (Int32) -> Void)?>

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        self.handler = Mutex(handler)
    }

    func exited(_ code: Int32) {
        let handler = handler.withLock { handler in
            defer { handler = nil }
            return handler
        }
        handler?(code)
    }

    private var pending: Bool { handler.withLock { $0 != nil } }

    /// Looks at `pid` in a second, and again every second until its exit is reported.
    func watch(_ pid: pid_t, zombieBefore: Bool) {
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) {
            guard self.pending else { return }
            let zombie = Self.isZombie(pid)
            if zombie && zombieBefore {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    // WIFSIGNALED: the low 7 bits hold the signal; else the exit code is in bits 8-15.
                    let signal = status & 0x7f
                    self.exited(signal != 0 ? 128 + signal : (status >> 8) & 0xff)
                    return
                }
            }
            self.watch(pid, zombieBefore: zombie)
        }
    }

    /// Whether `pid` has exited and not been reaped (state `Z` in `/proc/<pid>/stat`).
    private static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: end)...].split(separator: " ").first == "Z"
    }
}
