import Foundation
import Logging
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffControllers

/// A real API server on a free loopback port with a controller manager against it, both run in
/// tasks of the test and cancelled at the end.
struct TestCluster {
    static let quietLogger = Logger(label: "skiff.test", factory: { _ in SwiftLogNoOpLogHandler() })

    let client: KubernetesClient

    /// Runs a server and the `controllers` (configured by `configure`) for the duration of `body`.
    static func run<Result: Sendable>(
        controllers: [ControllerDescriptor] = ControllerDescriptor.builtin,
        configure: (inout ControllerManager.Configuration) -> Void = { _ in },
        _ body: @Sendable (TestCluster) async throws -> Result
    ) async throws -> Result {
        let (ports, portInput) = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                let configuration = APIServerService.Configuration(storageURL: "memory://", http: .init(host: "127.0.0.1", port: 0))
                try await APIServerService(configuration: configuration, logger: quietLogger, onReady: { port in portInput.yield(port) }).run()
                portInput.finish()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.waitForAll()
                throw ClientError(.transport, "the test server stopped before it was ready")
            }
            var clientConfiguration = ClientConfiguration(server: "http://127.0.0.1:\(port)")
            clientConfiguration.qps = 0
            let client = try KubernetesClient(configuration: clientConfiguration)
            var managerConfiguration = ControllerManager.Configuration()
            configure(&managerConfiguration)
            let manager = ControllerManager(configuration: managerConfiguration, descriptors: controllers, client: client, logger: quietLogger)
            // The controllers stop before the server, so that none reconnects while it shuts down.
            let outcome = await withTaskGroup(of: Void.self) { controllers -> Swift.Result<Result, any Error> in
                controllers.addTask { try? await manager.run() }
                defer { controllers.cancelAll() }
                do {
                    return .success(try await body(TestCluster(client: client)))
                } catch {
                    return .failure(error)
                }
            }
            try await client.shutdown()
            group.cancelAll()
            try await group.waitForAll()
            return try outcome.get()
        }
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

/// Waits until `condition` holds, checking after every short pause, failing after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw ClientError(.transport, "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(25))
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
