import SkiffAPI
import SkiffClient
import SkiffKubelet
import SkiffTesting
import Testing

/// The mirror pods a kubelet publishes for the components its process runs.
struct MirrorPodTests {
    static let apiServer = StaticPod.controlPlane("kube-apiserver", command: ["skiff", "up"])

    @Test func aStaticPodIsPublishedInUpstreamsShapeAndRuns() async throws {
        try await KubeletTestCluster.run(staticPods: [Self.apiServer]) { cluster in
            let pods = cluster.pods("kube-system")
            let pod = try await waitForRunning(pods, "kube-apiserver-skiff-node-0")
            let node = try await cluster.nodes.get("skiff-node-0")
            let annotations = pod.annotations
            let hash = try #require(annotations["kubernetes.io/config.hash"])
            #expect(hash.count == 32)
            #expect(annotations["kubernetes.io/config.mirror"] == hash)
            #expect(annotations["kubernetes.io/config.source"] == "file")
            #expect(annotations["kubernetes.io/config.seen"] != nil)
            #expect(pod.labels == ["component": "kube-apiserver", "tier": "control-plane"])
            let owner = try #require(pod.ownerReferences.first)
            #expect(owner["kind"] == "Node" && owner["name"] == "skiff-node-0" && owner["uid"] == node["metadata"]?["uid"])
            #expect(owner["controller"] == true)
            #expect(pod[path: "spec", "nodeName"] == "skiff-node-0")
            #expect(pod[path: "spec", "hostNetwork"] == true)
            #expect(pod[path: "spec", "priorityClassName"] == "system-node-critical")
            #expect(pod[path: "spec", "serviceAccountName"] == nil)
            #expect(pod[path: "spec", "containers"]?.arrayValue?.first?["name"] == "kube-apiserver")
            #expect(pod.condition("Ready")?["status"] == "True")
            let hostIP = try #require(node[path: "status", "addresses"]?.arrayValue?.first?["address"])
            #expect(pod[path: "status", "podIP"] == hostIP && pod[path: "status", "hostIP"] == hostIP)
            let container = try #require(pod[path: "status", "containerStatuses"]?.arrayValue?.first)
            #expect(container["ready"] == true)
            #expect(container[path: "state", "running"] != nil)
        }
    }

    @Test func aDeletedMirrorPodComesBackAndItsAnnotationCannotChange() async throws {
        try await KubeletTestCluster.run(staticPods: [Self.apiServer]) { cluster in
            let pods = cluster.pods("kube-system")
            let first = try await waitForRunning(pods, "kube-apiserver-skiff-node-0")
            var edited = first
            edited[path: "metadata", "annotations", "kubernetes.io/config.mirror"] = "0"
            await #expect(throws: APIError.self) { _ = try await pods.update(edited) }
            try await pods.delete("kube-apiserver-skiff-node-0")
            let second = try await waitForRunning(pods, "kube-apiserver-skiff-node-0") { $0.uid != first.uid }
            #expect(second.annotations["kubernetes.io/config.mirror"] == first.annotations["kubernetes.io/config.mirror"])
        }
    }

    @Test func aMirrorPodOfNoStaticPodIsDeleted() async throws {
        try await KubeletTestCluster.run { cluster in
            let pods = cluster.pods("kube-system")
            var stale = KubeletTestCluster.pod("kube-scheduler-skiff-node-0")
            stale[path: "metadata", "namespace"] = "kube-system"
            stale[path: "metadata", "annotations"] = ["kubernetes.io/config.mirror": "0123"]
            stale[path: "spec", "serviceAccountName"] = nil
            try await waitUntil("the node registered") { cluster.host.allRegistered }
            _ = try await pods.create(stale)
            try await waitUntil("the stale mirror pod deleted") {
                (try? await pods.get("kube-scheduler-skiff-node-0")) == nil
            }
        }
    }

    /// Waits until the pod `name` runs (and satisfies `also`); returns it.
    private func waitForRunning(
        _ pods: ResourceClient<JSONValue>, _ name: String, also: @escaping @Sendable (JSONValue) -> Bool = { _ in true }
    ) async throws -> JSONValue {
        try await waitUntil("\(name) running") {
            guard let pod = try? await pods.get(name) else { return false }
            return pod[path: "status", "phase"] == "Running" && also(pod)
        }
        return try await pods.get(name)
    }
}
