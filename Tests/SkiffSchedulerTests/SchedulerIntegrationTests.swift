import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// The scheduler against a real API server: Node objects are created directly (no kubelet).
@Suite(.serialized) struct SchedulerIntegrationTests {
    @Test func podsLandWhereSelectorsTaintsAndResourcesAllow() async throws {
        try await InProcessCluster.withScheduler { cluster in
            try await cluster.createNode(Fixtures.node("a", cpu: "2", labels: ["zone": "a"]))
            try await cluster.createNode(Fixtures.node("b", cpu: "8", labels: ["zone": "b"], taints: [Fixtures.taint("dedicated", "gpu")]))
            try await cluster.createNode(Fixtures.node("c", cpu: "1", labels: ["zone": "c"]))
            _ = try await cluster.pods.create(Fixtures.pod("selected", spec: ["nodeSelector": ["zone": "a"]]))
            _ = try await cluster.pods.create(Fixtures.pod("tolerating", spec: [
                "nodeSelector": ["zone": "b"], "tolerations": [["key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"]],
            ]))
            _ = try await cluster.pods.create(Fixtures.pod("big", cpu: "1500m"))
            _ = try await cluster.pods.create(Fixtures.pod("other-scheduler", spec: ["schedulerName": "my-scheduler"]))
            #expect(try await cluster.nodeOf("selected") == "a")
            #expect(try await cluster.nodeOf("tolerating") == "b")
            #expect(try await cluster.nodeOf("big") == "a")

            let bound = try await cluster.pods.get("big")
            let condition = bound[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "PodScheduled" }
            #expect(condition?["status"]?.stringValue == "True")
            try await waitUntil("the Scheduled event") {
                try await cluster.events(about: "big").contains { $0.reason == "Scheduled" && $0.message == "Successfully assigned default/big to a" }
            }
            let events = try await cluster.events.list().items.filter { $0[path: "involvedObject", "name"]?.stringValue == "big" }
            #expect(events.first?[path: "source", "component"]?.stringValue == "default-scheduler")
            #expect(try await cluster.pods.get("other-scheduler")[path: "spec", "nodeName"] == nil, "pods of other schedulers are left alone")
        }
    }

    @Test func unschedulablePodsReportWhyAndAreScheduledWhenANodeAppears() async throws {
        try await InProcessCluster.withScheduler { cluster in
            try await cluster.createNode(Fixtures.node("small", cpu: "1"))
            try await cluster.createNode(Fixtures.node("cordoned", cpu: "16", unschedulable: true))
            _ = try await cluster.pods.create(Fixtures.pod("huge", cpu: "8"))
            let expected = "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. "
                + "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.."
            try await waitUntil("the PodScheduled=False condition") {
                let conditions = try await cluster.pods.get("huge")[path: "status", "conditions"]?.arrayValue ?? []
                return conditions.contains {
                    $0["type"]?.stringValue == "PodScheduled" && $0["status"]?.stringValue == "False"
                        && $0["reason"]?.stringValue == "Unschedulable" && $0["message"]?.stringValue == expected
                }
            }
            try await waitUntil("the FailedScheduling event") {
                try await cluster.events(about: "huge").contains { $0.reason == "FailedScheduling" && $0.message == expected }
            }

            try await cluster.createNode(Fixtures.node("large", cpu: "16"))
            #expect(try await cluster.nodeOf("huge") == "large")
            let conditions = try await cluster.pods.get("huge")[path: "status", "conditions"]?.arrayValue ?? []
            let scheduled = conditions.filter { $0["type"]?.stringValue == "PodScheduled" }
            #expect(scheduled.count == 1)
            #expect(scheduled.first?["status"]?.stringValue == "True")
            #expect(scheduled.first?["reason"] == nil, "the binding replaces the failed condition, as upstream")
        }
    }

    @Test func resourcesOfBoundPodsAreCountedAndFreedOnDeletion() async throws {
        try await InProcessCluster.withScheduler { cluster in
            try await cluster.createNode(Fixtures.node("only", cpu: "1"))
            for index in 0..<4 { _ = try await cluster.pods.create(Fixtures.pod("p\(index)", cpu: "300m")) }
            try await waitUntil("three pods bound and one unschedulable") {
                let pods = try await cluster.pods.list().items
                let bound = pods.filter { $0[path: "spec", "nodeName"]?.stringValue == "only" }
                let failed = pods.filter {
                    ($0[path: "status", "conditions"]?.arrayValue ?? []).contains { $0["reason"]?.stringValue == "Unschedulable" }
                }
                return bound.count == 3 && failed.count == 1
            }
            let pending = try await cluster.pods.list().items.first { $0[path: "spec", "nodeName"] == nil }
            let victim = try await cluster.pods.list().items.first { $0[path: "spec", "nodeName"] != nil }
            try await cluster.pods.delete(try #require(victim?.name), options: DeleteOptions(gracePeriodSeconds: 0))
            #expect(try await cluster.nodeOf(try #require(pending?.name)) == "only")
        }
    }
}
