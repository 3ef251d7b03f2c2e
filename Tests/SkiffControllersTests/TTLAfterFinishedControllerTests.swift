import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// Finished jobs with `ttlSecondsAfterFinished` are deleted once it passed, others stay.
struct TTLAfterFinishedControllerTests {
    static func finishedJob(_ name: String, ttl: Int64, in cluster: InProcessCluster) async throws {
        var job = JobControllerTests.job(name)
        job[path: "spec", "ttlSecondsAfterFinished"] = .int(ttl)
        job = try await cluster.jobs().create(job)
        let now = JSONValue.string(Timestamp.now().rfc3339)
        job["status"] = [
            "startTime": now, "failed": 1,
            "conditions": [
                ["type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "lastTransitionTime": now],
                ["type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "lastTransitionTime": now],
            ],
        ]
        _ = try await cluster.jobs().updateStatus(job)
    }

    @Test func deletesExpiredJobsOnly() async throws {
        try await InProcessCluster.withControllers(controllers: [.ttlAfterFinished, .garbageCollector]) { cluster in
            try await Self.finishedJob("short", ttl: 1, in: cluster)
            try await Self.finishedJob("long", ttl: 3600, in: cluster)
            var running = JobControllerTests.job("running")
            running[path: "spec", "ttlSecondsAfterFinished"] = 0
            _ = try await cluster.jobs().create(running)
            try await waitUntil("the expired job deleted") { try await !InProcessCluster.exists("short", in: cluster.jobs()) }
            #expect(try await InProcessCluster.exists("long", in: cluster.jobs()))
            #expect(try await InProcessCluster.exists("running", in: cluster.jobs()))
        }
    }
}
