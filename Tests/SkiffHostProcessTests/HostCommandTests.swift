import Foundation
import Glibc
import Testing

@testable import SkiffHostProcess

/// Host tools as the OCI runtime runs them: output read while the tool runs, and a deadline.
struct HostCommandTests {
    @Test func outputBeyondAPipesBufferIsReadInFull() async throws {
        // 1 MB is far beyond a pipe's 64 KiB: a tool writing it must not block on a full pipe.
        let result = try await HostCommand.run(["head", "-c", "1000000", "/dev/zero"])
        #expect(result.status == 0)
        #expect(result.output.utf8.count == 1_000_000)
    }

    @Test func aToolStillRunningAfterItsDeadlineIsKilledAndReported() async throws {
        let result = try await HostCommand.run(["sleep", "60"], check: false, deadline: .milliseconds(300))
        #expect(result.status == -1)
        #expect(result.output.hasPrefix("killed: still running after"))
        await #expect(throws: HostCommand.Failure.self) { try await HostCommand.run(["sleep", "60"], deadline: .milliseconds(300)) }
    }

    @Test func statusAndInputAreThoseOfTheTool() async throws {
        let echoed = try await HostCommand.run(["cat"], input: Array("piped".utf8))
        #expect(echoed.output == "piped")
        let failed = try await HostCommand.run(["sh", "-c", "echo oops >&2; exit 3"], check: false)
        #expect(failed.status == 3 && failed.output == "oops\n")
    }
}

/// The exit of a child Foundation never reports: it stays a zombie until `ExitReport` reaps it.
struct ExitReportTests {
    @Test func aZombieNobodyReapedIsReapedAndItsExitCodeReported() async throws {
        // Spawned past Foundation, so only the report's own check can notice the exit.
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", "exit 7"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0)
        let code = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            ExitReport { continuation.resume(returning: $0) }.watch(pid, zombieBefore: false)
        }
        #expect(code == 7)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == -1)  // reaped already
    }
}
