import Logging
import SkiffAPI
import SkiffClient
import Synchronization
import SkiffTesting
import Testing

/// A shared informer against real servers: it sees every change in order, across a server
/// restart and a forced relist.
struct InformerTests {
    /// Handler events as short strings, in order.
    final class Recorder: Sendable {
        private let events = Mutex<[String]>([])
        var all: [String] { events.withLock { $0 } }

        func record(_ event: InformerEvent<TestConfigMap>) {
            let text: String
            switch event {
            case .added(let object, let initial): text = "add \(object.name)=\(object.data?["v"] ?? "")\(initial ? " initial" : "")"
            case .updated(_, let new): text = "update \(new.name)=\(new.data?["v"] ?? "")"
            case .deleted(.object(let object)): text = "delete \(object.name)"
            case .deleted(.finalStateUnknown(let key, _)): text = "tombstone \(key)"
            }
            events.withLock { $0.append(text) }
        }
    }

    /// Server A runs, stops; server C (another port, same data) changes objects while the
    /// informer cannot see it; server B comes back on A's port with history starting after the
    /// informer's resourceVersion, so the informer relists and reports what it missed.
    @Test func seesEveryChangeAcrossARestartAndARelist() async throws {
        let storage = "sqlite://" + (try scratchDirectory()) + "/db.sqlite"
        let (ports, portInput) = AsyncStream<Int>.makeStream()
        let stopFirst = WakeSignal()
        let stopLast = WakeSignal()
        let recorder = Recorder()

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                var options = InProcessCluster.Options()
                options.storageURL = storage
                let port = try await InProcessCluster.withCluster(options) { cluster in
                    portInput.yield(cluster.port)
                    await stopFirst.wait()
                    return cluster.port
                }
                try await InProcessCluster.withCluster(options) { other in
                    let configMaps = other.client.resource(TestConfigMap.self, namespace: "default")
                    try await configMaps.delete("b")
                    _ = try await configMaps.patch("a", type: .merge, patch: ["data": ["v": "3"]])
                    _ = try await configMaps.create(TestConfigMap(namespace: "default", name: "d", data: ["v": "1"]))
                }
                options.port = port
                try await InProcessCluster.withCluster(options) { cluster in
                    portInput.yield(cluster.port)
                    await stopLast.wait()
                }
            }

            var bound = ports.makeAsyncIterator()
            let port = try #require(await bound.next())
            // The informer's client outlives server A: it reconnects to B on the same port.
            var configuration = ClientConfiguration(server: "http://127.0.0.1:\(port)")
            configuration.qps = 0
            let client = try KubernetesClient(configuration: configuration)
            do {
                let configMaps = client.resource(TestConfigMap.self, namespace: "default")
                _ = try await configMaps.create(TestConfigMap(namespace: "default", name: "a", data: ["v": "1"]))
                _ = try await configMaps.create(TestConfigMap(namespace: "default", name: "b", data: ["v": "1"]))

                let factory = SharedInformerFactory(client: client, namespace: "default", logger: InProcessCluster.quietLogger)
                let informer = factory.informer(for: TestConfigMap.self)
                #expect(factory.informer(for: TestConfigMap.self) === informer)
                informer.addHandler { recorder.record($0) }
                try await withThrowingDiscardingTaskGroup { informers in
                    informers.addTask { await factory.run() }
                    #expect(await factory.waitForCacheSync())

                    _ = try await configMaps.patch("a", type: .merge, patch: ["data": ["v": "2"]])
                    _ = try await configMaps.create(TestConfigMap(namespace: "default", name: "c", data: ["v": "1"]))
                    try await waitUntil("the first changes") { recorder.all.count == 4 }
                    #expect(recorder.all == ["add a=1 initial", "add b=1 initial", "update a=2", "add c=1"])

                    stopFirst.fire()
                    _ = try #require(await bound.next())
                    try await waitUntil("the relist", timeout: .seconds(60)) { recorder.all.count == 7 }
                    #expect(recorder.all.suffix(3) == ["update a=3", "add d=1", "tombstone default/b"])

                    _ = try await configMaps.patch("d", type: .merge, patch: ["data": ["v": "2"]])
                    try await waitUntil("a change after the relist") { recorder.all.count == 8 }
                    #expect(recorder.all.last == "update d=2")
                    #expect(informer.indexer.listKeys().sorted() == ["default/a", "default/c", "default/d"])
                    informers.cancelAll()
                }
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
            stopLast.fire()
        }
    }
}
