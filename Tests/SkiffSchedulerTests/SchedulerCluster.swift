import Foundation
import Logging
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffScheduler

/// An API server on a free loopback port with a scheduler against it, for the duration of a test.
struct SchedulerCluster {
    let client: KubernetesClient

    static func run(_ body: @Sendable (SchedulerCluster) async throws -> Void) async throws {
        let logger = Logger(label: "skiff.scheduler.test", factory: { _ in SwiftLogNoOpLogHandler() })
        let (ports, portInput) = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let configuration = APIServerService.Configuration(storageURL: "memory://", http: .init(host: "127.0.0.1", port: 0))
                try await APIServerService(configuration: configuration, logger: logger, onReady: { portInput.yield($0) }).run()
                portInput.finish()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.waitForAll()
                throw ClientError(.transport, "the test server stopped before it was ready")
            }
            var configuration = ClientConfiguration(server: "http://127.0.0.1:\(port)")
            configuration.qps = 0
            let client = try KubernetesClient(configuration: configuration)
            let scheduler = Scheduler(client: client, logger: logger)
            // The scheduler stops before the server, so that its informers do not reconnect while it shuts down.
            let outcome = await withTaskGroup(of: Void.self) { schedulers -> Result<Void, any Error> in
                schedulers.addTask { try? await scheduler.run() }
                defer { schedulers.cancelAll() }
                do {
                    return .success(try await body(SchedulerCluster(client: client)))
                } catch {
                    return .failure(error)
                }
            }
            try await client.shutdown()
            group.cancelAll()
            try await group.waitForAll()
            try outcome.get()
        }
    }

    var pods: ResourceClient<JSONValue> { client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "pods")).namespace("default") }
    var nodes: ResourceClient<JSONValue> { client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "nodes")) }
    var events: ResourceClient<JSONValue> { client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "events")).namespace("default") }

    /// Creates a Node with its status (capacity and allocatable).
    func createNode(_ node: JSONValue) async throws {
        let created = try await nodes.create(node)
        var withStatus = created
        withStatus["status"] = node["status"]
        _ = try await nodes.updateStatus(withStatus)
    }

    /// Waits until the pod is bound and returns its node.
    func nodeOf(_ name: String) async throws -> String {
        var node = ""
        try await waitUntil("\(name) to be scheduled") {
            node = try await pods.get(name)[path: "spec", "nodeName"]?.stringValue ?? ""
            return !node.isEmpty
        }
        return node
    }

    /// The events about the pod `name`, as (reason, message).
    func events(about name: String) async throws -> [(reason: String, message: String)] {
        try await events.list().items.filter { $0[path: "involvedObject", "name"]?.stringValue == name }.map {
            ($0["reason"]?.stringValue ?? "", $0["message"]?.stringValue ?? "")
        }
    }
}

/// Waits until `condition` holds, checking every 25 ms, failing after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw ClientError(.transport, "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(25))
    }
}
