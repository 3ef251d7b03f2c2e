import ServiceLifecycle
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffTesting
import Testing

/// The API server's graceful shutdown as a client sees it.
struct GracefulShutdownTests {
    @Test func watchesEndCleanlyAndTheServerStops() async throws {
        let (ports, portInput) = AsyncStream<Int>.makeStream()
        let server = APIServerService(
            configuration: .init(storageURL: "memory://", http: .init(host: "127.0.0.1", port: 0)), logger: InProcessCluster.quietLogger,
            onReady: { port in
                portInput.yield(port)
                portInput.finish()
            })
        let group = ServiceGroup(configuration: .init(services: [server], logger: InProcessCluster.quietLogger))
        async let running: Void = group.run()
        var bound = ports.makeAsyncIterator()
        let port = try #require(await bound.next())
        var configuration = ClientConfiguration(server: "http://127.0.0.1:\(port)")
        configuration.qps = 0
        let client = try KubernetesClient(configuration: configuration)
        let configMaps = client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "configmaps")).namespace("default")
        let stream = try await configMaps.watch()
        _ = try await configMaps.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "seen"]])
        var events = stream.makeAsyncIterator()
        let added = try await events.next()
        #expect(added != nil)
        await group.triggerGracefulShutdown()
        // A clean end of the chunked response finishes the stream; a dropped connection would throw.
        let end = try await events.next()
        #expect(end == nil, "the watch went on after graceful shutdown: \(String(describing: end))")
        try await running
        try await client.shutdown()
    }
}
