import SkiffAPI
import SkiffClient
import SkiffControllers
import SkiffTesting

/// The controllers' tests run on SkiffTesting's in-process cluster with a controller manager as
/// its component.
extension InProcessCluster {
    /// Runs a server and the `controllers` (configured by `configure`, on the cluster's clock unless
    /// `configure` gives another) for the duration of `body`.
    static func withControllers<Result: Sendable>(
        controllers: [ControllerDescriptor] = ControllerDescriptor.builtin,
        options: Options = Options(),
        configure: @escaping @Sendable (inout ControllerManager.Configuration) -> Void = { _ in },
        _ body: @escaping @Sendable (InProcessCluster) async throws -> Result
    ) async throws -> Result {
        let manager = Component.service("controller-manager") { cluster in
            var configuration = ControllerManager.Configuration()
            configuration.clock = cluster.clock
            configure(&configuration)
            return ControllerManager(configuration: configuration, descriptors: controllers, client: cluster.client, logger: cluster.logger)
        }
        return try await withCluster(options, components: [manager], body)
    }

    func resource(_ resource: GroupVersionResource, namespace: String? = nil) -> ResourceClient<JSONValue> {
        let objects = client.dynamic.resource(resource)
        return namespace.map { objects.namespace($0) } ?? objects
    }

    func configMaps(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "", version: "v1", resource: "configmaps"), namespace: namespace)
    }

    func pods(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "", version: "v1", resource: "pods"), namespace: namespace)
    }

    func replicaSets(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "apps", version: "v1", resource: "replicasets"), namespace: namespace)
    }

    func jobs(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "batch", version: "v1", resource: "jobs"), namespace: namespace)
    }

    func cronJobs(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "batch", version: "v1", resource: "cronjobs"), namespace: namespace)
    }

    /// The reasons of the events about `name`.
    func eventReasons(about name: String, namespace: String = "default") async throws -> [String] {
        try await resource(GroupVersionResource(group: "", version: "v1", resource: "events"), namespace: namespace).list().items
            .filter { $0[path: "involvedObject", "name"]?.stringValue == name }.compactMap { $0["reason"]?.stringValue }
    }

    func statefulSets(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "apps", version: "v1", resource: "statefulsets"), namespace: namespace)
    }

    func daemonSets(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "apps", version: "v1", resource: "daemonsets"), namespace: namespace)
    }

    func controllerRevisions(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "apps", version: "v1", resource: "controllerrevisions"), namespace: namespace)
    }

    func persistentVolumeClaims(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "", version: "v1", resource: "persistentvolumeclaims"), namespace: namespace)
    }

    func events(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "", version: "v1", resource: "events"), namespace: namespace)
    }

    var nodes: ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "", version: "v1", resource: "nodes"))
    }

    var namespaces: ResourceClient<JSONValue> {
        resource(GroupVersionResource(group: "", version: "v1", resource: "namespaces"))
    }

    /// Whether `name` exists (404 → false).
    static func exists(_ name: String, in objects: ResourceClient<JSONValue>) async throws -> Bool {
        do {
            _ = try await objects.get(name)
            return true
        } catch let error as APIError where error.isNotFound {
            return false
        }
    }
}

extension JSONValue {
    static func configMap(_ name: String, namespace: String = "default", owners: [JSONValue] = []) -> JSONValue {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        object.ownerReferences = owners
        return object
    }

    /// An owner reference to `owner` (a ConfigMap).
    func ownerReference(blockOwnerDeletion: Bool = false) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "ConfigMap", "name": .string(name ?? ""), "uid": .string(uid ?? ""),
            "blockOwnerDeletion": .bool(blockOwnerDeletion),
        ]
    }
}

/// Waits until `condition` holds, moving the controllers' `clock` on by `step` before each check,
/// so that their timed work (periods, grace, requeues, retries) comes due as it is awaited.
func waitUntil(_ what: String, advancing clock: ManualClock, by step: Duration, _ condition: () async throws -> Bool) async throws {
    try await waitUntil(what) {
        clock.advance(by: step)
        return try await condition()
    }
}
