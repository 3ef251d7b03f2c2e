import Testing

@testable import SkiffKubelet

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
