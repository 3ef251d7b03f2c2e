import SkiffAPI
@testable import SkiffAPIServer
import SkiffRegistry
import SkiffStorage
import SkiffTesting
import Testing

/// The `kubernetes` service's endpoints list every API server whose record under
/// `/registry/masterleases/` is live (upstream's lease endpoint reconciler).
@Suite struct LeaseEndpointReconcilerTests {
    private static func reconciler(_ ip: String, registry: Registry, clock: ManualClock) -> LeaseEndpointReconciler {
        var configuration = LeaseEndpointReconciler.Configuration(advertiseAddress: ip, port: 6443)
        configuration.clock = clock
        return LeaseEndpointReconciler(registry: registry, configuration: configuration, logger: InProcessCluster.quietLogger)
    }

    /// The addresses the Endpoints and the EndpointSlice list, when they agree.
    private static func published(_ registry: Registry) async throws -> [String]? {
        let endpoints = try await registry.store(for: GroupResource(group: "", resource: "endpoints"))?.get(namespace: "default", name: "kubernetes")
        let slice = try await registry.store(for: GroupResource(group: "discovery.k8s.io", resource: "endpointslices"))?
            .get(namespace: "default", name: "kubernetes")
        let addresses = endpoints?[path: "subsets"]?.arrayValue?.first?[path: "addresses"]?.arrayValue?.compactMap { $0[path: "ip"]?.stringValue }
        let sliceAddresses = slice?[path: "endpoints"]?.arrayValue?.compactMap { $0[path: "addresses"]?.arrayValue?.first?.stringValue }
        return addresses == sliceAddresses ? addresses : nil
    }

    @Test func listsEveryLiveServerAndDropsExpiredOnes() async throws {
        try await APIServerHarness.with(.router) { server in
            let clock = ManualClock()
            let first = Self.reconciler("10.0.0.1", registry: server.registry, clock: clock)
            let second = Self.reconciler("10.0.0.2", registry: server.registry, clock: clock)
            try await first.reconcile()
            #expect(try await Self.published(server.registry) == ["10.0.0.1"])
            try await second.reconcile()
            #expect(try await Self.published(server.registry) == ["10.0.0.1", "10.0.0.2"])

            let endpoints = try #require(try await server.registry.store(for: GroupResource(group: "", resource: "endpoints"))?
                .get(namespace: "default", name: "kubernetes"))
            #expect(endpoints[path: "metadata", "labels", "endpointslice.kubernetes.io/skip-mirror"]?.stringValue == "true")
            #expect(endpoints[path: "subsets"]?.arrayValue?.first?[path: "ports"] == [["name": "https", "port": 6443, "protocol": "TCP"]])

            // The second server stops renewing: its record expires after 15 s and it drops out.
            clock.advance(by: .seconds(10))
            try await first.reconcile()
            #expect(try await Self.published(server.registry) == ["10.0.0.1", "10.0.0.2"])
            clock.advance(by: .seconds(6))
            try await first.reconcile()
            #expect(try await Self.published(server.registry) == ["10.0.0.1"])
            #expect(try await server.registry.storage.get(MasterLeases.prefix + "10.0.0.2", revision: 0) == nil)
        }
    }
}
