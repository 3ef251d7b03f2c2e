import SkiffAPI
import SkiffClient
import SkiffScheduler
import SkiffTesting

/// The scheduler's integration tests run on SkiffTesting's in-process cluster with a scheduler
/// (on the cluster's clock) as its component.
extension InProcessCluster {
    /// Runs a server and a scheduler for the duration of `body`.
    static func withScheduler(_ body: @escaping @Sendable (InProcessCluster) async throws -> Void) async throws {
        let scheduler = Component.service("scheduler") { cluster in
            var configuration = Scheduler.Configuration()
            configuration.clock = cluster.clock
            return Scheduler(configuration: configuration, client: cluster.client, logger: cluster.logger)
        }
        try await withCluster(components: [scheduler], body)
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
