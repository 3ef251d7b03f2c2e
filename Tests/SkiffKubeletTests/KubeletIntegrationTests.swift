import SkiffAPI
import SkiffClient
import SkiffKubelet
import SkiffTesting
import Testing

/// Kubelets against a real API server: registration, heartbeats, the pod lifecycle, deletion.
struct KubeletIntegrationTests {
    @Test func nodesRegisterWithLeasesAndReadyConditions() async throws {
        try await KubeletTestCluster.run(nodes: KubeletConfiguration.simulatedNodeNames(3)) { cluster in
            try await waitUntil("three ready nodes with leases") {
                let nodes = try await cluster.nodes.list().items
                let leases = try await cluster.leases.list().items
                return nodes.count == 3 && nodes.allSatisfy { $0.condition("Ready")?["status"] == "True" } && leases.count == 3
            }
            let nodes = try await cluster.nodes.list().items.sorted { ($0.name ?? "") < ($1.name ?? "") }
            #expect(nodes.map(\.name) == ["skiff-node-0", "skiff-node-1", "skiff-node-2"])
            #expect(Set(nodes.compactMap { $0[path: "spec", "podCIDR"]?.stringValue }).count == 3)
            let node = nodes[0]
            #expect(node.labels["kubernetes.io/hostname"] == "skiff-node-0")
            #expect(node.labels["kubernetes.io/os"] == "linux")
            #expect(node.condition("Ready")?["reason"] == "KubeletReady")
            #expect(node.condition("MemoryPressure")?["status"] == "False")
            #expect(node[path: "status", "nodeInfo", "kubeletVersion"] == "v1.32.0")
            let lease = try await cluster.leases.get("skiff-node-0")
            #expect(lease[path: "spec", "holderIdentity"] == "skiff-node-0")
            #expect(lease[path: "spec", "leaseDurationSeconds"] == 40)
            #expect(lease.ownerReferences.first?["uid"] == node["metadata"]?["uid"])

            // A heartbeat round renews the lease; the unchanged status is not written again.
            let version = try await cluster.nodes.get("skiff-node-0").resourceVersion
            try await cluster.heartbeatRound(renewing: "skiff-node-0")
            try await cluster.heartbeatRound(renewing: "skiff-node-0")
            #expect(try await cluster.nodes.get("skiff-node-0").resourceVersion == version)

            // Stopped heartbeats: the lease stays as it was while the others' are renewed.
            cluster.host.setHeartbeats(false, node: "skiff-node-1")
            let frozen = try await cluster.leases.get("skiff-node-1")[path: "spec", "renewTime"]
            try await cluster.heartbeatRound(renewing: "skiff-node-2")
            try await cluster.heartbeatRound(renewing: "skiff-node-2")
            #expect(try await cluster.leases.get("skiff-node-1")[path: "spec", "renewTime"] == frozen)
            cluster.host.setHeartbeats(true, node: "skiff-node-1")
            try await cluster.heartbeatRound(renewing: "skiff-node-1")
        }
    }

    @Test func anExistingNodeIsUpdatedNotRecreated() async throws {
        try await KubeletTestCluster.run(nodes: []) { cluster in
            let existing = try await cluster.nodes.create([
                "apiVersion": "v1", "kind": "Node", "metadata": ["name": "skiff-node-0", "labels": ["team": "a"]],
            ])
            let configuration = KubeletConfiguration(nodeNames: ["skiff-node-0"])
            let host = KubeletHost(configuration: configuration, client: cluster.client, logger: KubeletTestCluster.quietLogger)
            try await cluster.cluster.running([.service("kubelet") { _ in host }]) {
                try await waitUntil("the node ready") {
                    try await cluster.nodes.get("skiff-node-0").condition("Ready")?["status"] == "True"
                }
            }
            let node = try await cluster.nodes.get("skiff-node-0")
            #expect(node.uid == existing.uid)
            #expect(node.labels["team"] == "a")
            #expect(node.labels["kubernetes.io/hostname"] == "skiff-node-0")
            #expect(node[path: "spec", "podCIDR"] == "10.128.0.0/24")
        }
    }

    @Test func aBoundPodRunsWithAnIPAndIsDeletedGracefully() async throws {
        try await KubeletTestCluster.run { cluster in
            let created = try await cluster.pods().create(KubeletTestCluster.pod("web"))
            // One status write takes it from Pending to Running and Ready.
            let events = try await cluster.pods().watch(ListOptions(resourceVersion: created.resourceVersion, timeoutSeconds: 20))
            var writes = 0
            for try await event in events {
                guard case .modified(let pod) = event, pod.name == "web" else { continue }
                writes += 1
                if pod[path: "status", "phase"] == "Running" && pod.condition("Ready")?["status"] == "True" { break }
            }
            #expect(writes == 1)
            let pod = try #require(try await cluster.pod("web"))
            #expect(pod[path: "status", "podIP"] == "10.128.0.2")
            #expect(pod[path: "status", "hostIP"] == "172.16.0.1")
            #expect(pod[path: "status", "qosClass"] == "BestEffort")
            #expect(pod.condition("PodScheduled")?["status"] == "True")
            #expect(pod[path: "status", "containerStatuses"]?.arrayValue?.first?["ready"] == true)
            // The kubelet's own write does not make it write again, however much time passes.
            try await cluster.heartbeatRound(renewing: "skiff-node-0")
            try await cluster.heartbeatRound(renewing: "skiff-node-0")
            #expect(try await cluster.pod("web")?.resourceVersion == pod.resourceVersion)

            try await cluster.pods().delete("web")
            try await waitUntil("the pod gone") { try await cluster.pod("web") == nil }
            let runtime = try #require(cluster.host.runtime(node: "skiff-node-0"))
            try await waitUntil("the sandbox removed") { await runtime.sandboxCount == 0 }
        }
    }

    @Test func aPodTheNodeHasNoRoomForIsRejectedUntilAFinishedOneGivesItsShareBack() async throws {
        var node = NodeConfiguration()
        node.cpu = "1"
        try await KubeletTestCluster.run(node: node) { cluster in
            func pod(_ name: String, annotations: [String: String] = [:]) -> JSONValue {
                var pod = KubeletTestCluster.pod(name, restartPolicy: "Never", annotations: annotations)
                pod[path: "spec", "containers"] = [["name": "app", "image": "busybox", "resources": ["requests": ["cpu": "600m"]]]]
                return pod
            }
            _ = try await cluster.pods().create(pod("first", annotations: [SimulationAnnotations.runSeconds: "5"]))
            try await waitUntil("the first pod running") { try await cluster.pod("first")?[path: "status", "phase"] == "Running" }
            _ = try await cluster.pods().create(pod("second"))
            try await waitUntil("the second pod rejected") { try await cluster.pod("second")?[path: "status", "phase"] == "Failed" }
            let rejected = try #require(try await cluster.pod("second"))
            #expect(rejected[path: "status", "reason"] == "OutOfcpu")
            #expect(rejected[path: "status", "message"] == "Pod was rejected: Node didn't have enough resource: cpu, requested: 600, used: 600, capacity: 1000")
            #expect(rejected[path: "status", "containerStatuses"] == nil)
            // The event is written after the fact, as upstream's recorder writes it.
            try await waitUntil("the OutOfcpu event") {
                try await cluster.resource("events", namespace: "default").list().items.contains { $0[path: "involvedObject", "name"] == "second" }
            }
            let events = try await cluster.resource("events", namespace: "default").list().items
            let event = try #require(events.first { $0[path: "involvedObject", "name"] == "second" })
            #expect(event["type"] == "Warning")
            #expect(event["reason"] == "OutOfcpu")
            #expect(event["message"] == "Node didn't have enough resource: cpu, requested: 600, used: 600, capacity: 1000")
            let runtime = try #require(cluster.host.runtime(node: "skiff-node-0"))
            #expect(await runtime.sandboxCount == 1)

            // Once the first pod finished, its CPU is free again.
            try await cluster.waitAdvancing("the first pod succeeded") { try await cluster.pod("first")?[path: "status", "phase"] == "Succeeded" }
            _ = try await cluster.pods().create(pod("third"))
            try await waitUntil("the third pod running") { try await cluster.pod("third")?[path: "status", "phase"] == "Running" }
        }
    }

    @Test func deletionWaitsForTheStopTimeWithinTheGracePeriod() async throws {
        try await KubeletTestCluster.run { cluster in
            _ = try await cluster.pods().create(KubeletTestCluster.pod("slow", annotations: [SimulationAnnotations.stopSeconds: "1"]))
            try await waitUntil("running") { try await cluster.pod("slow")?[path: "status", "phase"] == "Running" }
            let start = cluster.clock.now
            try await cluster.pods().delete("slow")
            #expect(try await cluster.pod("slow")?.deletionTimestamp != nil)
            try await cluster.waitAdvancing("the pod gone") { try await cluster.pod("slow") == nil }
            #expect(cluster.clock.now.duration(since: start) >= .seconds(1))
        }
    }

    @Test func aJobLikePodSucceedsAndAFailingOneFails() async throws {
        try await KubeletTestCluster.run { cluster in
            _ = try await cluster.pods().create(
                KubeletTestCluster.pod("job", restartPolicy: "Never", annotations: [SimulationAnnotations.runSeconds: "0.5"]))
            _ = try await cluster.pods().create(
                KubeletTestCluster.pod(
                    "broken", restartPolicy: "Never", annotations: [SimulationAnnotations.runSeconds: "0.5", SimulationAnnotations.exitCode: "2"]))
            try await cluster.waitAdvancing("the job pod succeeded") { try await cluster.pod("job")?[path: "status", "phase"] == "Succeeded" }
            try await cluster.waitAdvancing("the broken pod failed") { try await cluster.pod("broken")?[path: "status", "phase"] == "Failed" }
            let job = try #require(try await cluster.pod("job"))
            #expect(job[path: "status", "containerStatuses"]?.arrayValue?.first?[path: "state", "terminated", "reason"] == "Completed")
            #expect(job.condition("Ready")?["reason"] == "PodCompleted")
            let broken = try #require(try await cluster.pod("broken"))
            #expect(broken[path: "status", "containerStatuses"]?.arrayValue?.first?[path: "state", "terminated", "exitCode"] == 2)
            let runtime = try #require(cluster.host.runtime(node: "skiff-node-0"))
            try await waitUntil("finished pods keep no sandbox") { await runtime.sandboxCount == 0 }
            // A finished pod is deleted at once (no grace period) and the kubelet leaves it alone.
            try await cluster.pods().delete("job")
            try await waitUntil("the job pod gone") { try await cluster.pod("job") == nil }
        }
    }

    @Test func restartPolicyAlwaysRestartsIntoCrashLoopBackOff() async throws {
        try await KubeletTestCluster.run { cluster in
            _ = try await cluster.pods().create(
                KubeletTestCluster.pod("crash", annotations: [SimulationAnnotations.runSeconds: "0.3", SimulationAnnotations.exitCode: "1"]))
            try await cluster.waitAdvancing("crash-looping") {
                let container = try await cluster.pod("crash")?[path: "status", "containerStatuses"]?.arrayValue?.first
                return container?[path: "state", "waiting", "reason"] == "CrashLoopBackOff"
            }
            let pod = try #require(try await cluster.pod("crash"))
            let container = pod[path: "status", "containerStatuses"]?.arrayValue?.first
            #expect(container?["restartCount"] == 1)
            #expect(container?[path: "lastState", "terminated", "exitCode"] == 1)
            #expect(pod[path: "status", "phase"] == "Running")
            #expect(pod.condition("Ready")?["status"] == "False")
        }
    }

    @Test func podsOfADeletedNodeAreLeftAlone() async throws {
        try await KubeletTestCluster.run(nodes: ["skiff-node-0", "skiff-node-1"]) { cluster in
            try await waitUntil("both registered") { cluster.host.allRegistered }
            try await cluster.nodes.delete("skiff-node-1")
            try await waitUntil("the node gone") { try await cluster.nodes.list().items.count == 1 }
            _ = try await cluster.pods().create(KubeletTestCluster.pod("orphan", node: "skiff-node-1"))
            _ = try await cluster.pods().create(KubeletTestCluster.pod("placed", node: "skiff-node-0"))
            try await waitUntil("the other node's pod running") { try await cluster.pod("placed")?[path: "status", "phase"] == "Running" }
            // No heartbeats for a node that is gone: its lease is no longer renewed.
            let renewTime = try await cluster.leases.get("skiff-node-1")[path: "spec", "renewTime"]
            try await cluster.heartbeatRound(renewing: "skiff-node-0")
            try await cluster.heartbeatRound(renewing: "skiff-node-0")
            #expect(try await cluster.leases.get("skiff-node-1")[path: "spec", "renewTime"] == renewTime)
            #expect(try await cluster.pod("orphan")?[path: "status", "phase"] == "Pending")
        }
    }

    @Test func manyNodesShareOnePodInformer() async throws {
        try await KubeletTestCluster.run(nodes: KubeletConfiguration.simulatedNodeNames(20)) { cluster in
            try await waitUntil("all registered") { cluster.host.allRegistered }
            for index in 0..<40 {
                _ = try await cluster.pods().create(KubeletTestCluster.pod("p-\(index)", node: "skiff-node-\(index % 20)"))
            }
            // A pod of a node no kubelet here runs stays pending.
            _ = try await cluster.pods().create(KubeletTestCluster.pod("elsewhere", node: "other-node"))
            try await waitUntil("40 pods running") {
                try await cluster.pods().list().items.filter { $0[path: "status", "phase"] == "Running" }.count == 40
            }
            let pods = try await cluster.pods().list().items
            let ips = pods.compactMap { $0[path: "status", "podIP"]?.stringValue }
            #expect(Set(ips).count == 40)
            #expect(pods.first { $0.name == "elsewhere" }?[path: "status", "phase"] == "Pending")
        }
    }
}
