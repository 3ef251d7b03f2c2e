@testable import SkiffControllers
import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// Nodes carry the TTL of their cluster's size bucket.
struct TTLControllerTests {
    @Test func bucketsFollowUpstreamWithHysteresis() {
        var boundaries = TTLBoundaries()
        boundaries.update(nodeCount: 3)
        #expect(boundaries.ttlSeconds == 0)
        boundaries.update(nodeCount: 100)
        #expect(boundaries.ttlSeconds == 0)
        boundaries.update(nodeCount: 101)
        #expect(boundaries.ttlSeconds == 15)
        // Back below 100 but not below 90: the bucket stays.
        boundaries.update(nodeCount: 95)
        #expect(boundaries.ttlSeconds == 15)
        boundaries.update(nodeCount: 89)
        #expect(boundaries.ttlSeconds == 0)
        boundaries.update(nodeCount: 5000)
        #expect(boundaries.ttlSeconds == 300)
        boundaries.update(nodeCount: 950)
        #expect(boundaries.ttlSeconds == 60)
        boundaries.update(nodeCount: 0)
        #expect(boundaries.ttlSeconds == 0)
    }

    @Test func annotatesNodes() async throws {
        try await InProcessCluster.withControllers(controllers: [.ttl]) { cluster in
            _ = try await cluster.nodes.create(["apiVersion": "v1", "kind": "Node", "metadata": ["name": "a"]])
            _ = try await cluster.nodes.create([
                "apiVersion": "v1", "kind": "Node", "metadata": ["name": "b", "annotations": ["node.alpha.kubernetes.io/ttl": "30"]],
            ])
            try await waitUntil("both nodes annotated with 0") {
                try await cluster.nodes.list().items.allSatisfy { $0.annotations["node.alpha.kubernetes.io/ttl"] == "0" }
            }
        }
    }
}
