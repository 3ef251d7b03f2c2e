import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// A host that refuses a pod's cgroup: the pod runs without limits, and a Warning event says why.
struct CgroupRefusalTests {
    @Test func aRefusedPodCgroupLeavesThePodRunningWithAWarning() async throws {
        // No host accepts this root: its first component is a cgroup's `cgroup.procs` file, so no
        // directory can be made below it (and a host without the v1 controllers lacks them).
        let runtime = ProbedRuntime(clock: SystemClock(), cgroupRoot: "/cgroup.procs/skiff-test")
        try await KubeletTestCluster.run(makeRuntime: { _ in runtime }) { cluster in
            _ = try await cluster.pods().create(KubeletTestCluster.pod("web"))
            try await cluster.waitAdvancing("the pod running") { try await cluster.pod("web")?[path: "status", "phase"] == "Running" }
            let events = cluster.resource("events", namespace: "default")
            try await waitUntil("the Warning event") {
                try await events.list().items.contains { $0["reason"] == "FailedCreatePodContainer" }
            }
            let warnings = try await events.list().items.filter { $0["reason"] == "FailedCreatePodContainer" }
            #expect(warnings.count == 1)
            #expect(warnings[0]["type"] == "Warning")
            #expect(warnings[0][path: "involvedObject", "name"] == "web")
            let message = warnings[0]["message"]?.stringValue ?? ""
            #expect(message.hasPrefix("unable to ensure pod container exists: "))
            #expect(message.hasSuffix("; running the pod without resource limits"))
        }
    }
}
