import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

@testable import SkiffControllers

/// The pod garbage collector against a real server: pods of a node that is gone are marked
/// failed and deleted after the quarantine; pods of a live node stay.
struct PodGCControllerTests {
    static func pod(_ name: String, node: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": ["nodeName": .string(node), "containers": [["name": "c", "image": "nginx"]]],
        ]
    }

    /// On a manual clock with upstream's periods (a pass every 20 s, 40 s of quarantine): each
    /// check moves the collector's time on by 5 s.
    @Test func podsOfAMissingNodeAreDeletedAfterTheQuarantine() async throws {
        let clock = ManualClock(start: .now())
        try await InProcessCluster.withControllers(controllers: [.podGC], configure: { $0.clock = clock }) { cluster in
            _ = try await cluster.nodes.create(["apiVersion": "v1", "kind": "Node", "metadata": ["name": "alive"]])
            _ = try await cluster.pods().create(Self.pod("kept", node: "alive"))
            let orphan = try await cluster.pods().create(Self.pod("orphan", node: "gone"))
            // Watch the orphan's last state before it goes: marked failed by the collector.
            var lastSeen = orphan
            try await waitUntil("the orphan deleted", advancing: clock, by: .seconds(5)) {
                do {
                    lastSeen = try await cluster.pods().get("orphan")
                    return false
                } catch let error as APIError where error.isNotFound {
                    return true
                }
            }
            #expect(!(try await InProcessCluster.exists("orphan", in: cluster.pods())), "the orphan is deleted")
            #expect(try await InProcessCluster.exists("kept", in: cluster.pods()), "a pod of a live node stays")
            // The collector may delete right after marking; when the marked state was seen, it is upstream's.
            if lastSeen[path: "status", "phase"] == "Failed" {
                let condition = lastSeen[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "DisruptionTarget" }
                #expect(condition?["reason"] == "DeletionByPodGC")
                #expect(condition?["message"] == "PodGC: node no longer exists")
            }
        }
    }
}
