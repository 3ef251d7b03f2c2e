import Foundation
import Logging
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffKubelet
import SkiffTesting

/// A real API server on a free loopback port with a `KubeletHost` against it on a manual clock,
/// both run in tasks of the test and cancelled at the end.
struct KubeletTestCluster {
    static let quietLogger = Logger(label: "skiff.test", factory: { _ in SwiftLogNoOpLogHandler() })

    let client: KubernetesClient
    let host: KubeletHost
    /// The kubelets' clock: heartbeats, pod timings and requeues move only when a test advances it.
    let clock: ManualClock

    /// Runs a server and kubelets for `nodes` for the duration of `body`.
    static func run<Result: Sendable>(
        nodes: [String] = ["skiff-node-0"],
        _ body: @Sendable (KubeletTestCluster) async throws -> Result
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
            var configuration = KubeletConfiguration(nodeNames: nodes)
            let clock = ManualClock()
            configuration.clock = clock
            let host = KubeletHost(configuration: configuration, client: client, logger: quietLogger)
            // The kubelets stop before the server, so that none reconnects while it shuts down.
            let outcome = await withTaskGroup(of: Void.self) { kubelets -> Swift.Result<Result, any Error> in
                kubelets.addTask { try? await host.run() }
                defer { kubelets.cancelAll() }
                do {
                    return .success(try await body(KubeletTestCluster(client: client, host: host, clock: clock)))
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

    func resource(_ resource: String, group: String = "", version: String = "v1", namespace: String? = nil) -> ResourceClient<JSONValue> {
        let objects = client.dynamic.resource(GroupVersionResource(group: group, version: version, resource: resource))
        return namespace.map { objects.namespace($0) } ?? objects
    }

    var nodes: ResourceClient<JSONValue> { resource("nodes") }
    var leases: ResourceClient<JSONValue> { resource("leases", group: "coordination.k8s.io", namespace: "kube-node-lease") }
    func pods(_ namespace: String = "default") -> ResourceClient<JSONValue> { resource("pods", namespace: namespace) }

    /// The pod `name`, nil once deleted.
    func pod(_ name: String) async throws -> JSONValue? {
        do {
            return try await pods().get(name)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    /// A pod bound to `node` with one container.
    static func pod(
        _ name: String, node: String = "skiff-node-0", restartPolicy: String = "Always", annotations: [String: String] = [:]
    ) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": "default", "annotations": .object(annotations.mapValues(JSONValue.string))],
            "spec": [
                "nodeName": .string(node), "restartPolicy": .string(restartPolicy),
                "containers": [["name": "app", "image": "nginx"]],
            ],
        ]
    }
}

extension KubeletTestCluster {
    /// Waits until `condition` holds, moving the kubelets' clock on by `step` before each check,
    /// so that timed work (a container's exit, a stop, a back-off) comes due as it is awaited.
    func waitAdvancing(_ what: String, step: Duration = .milliseconds(100), _ condition: () async throws -> Bool) async throws {
        try await waitUntil(what, timeout: .seconds(30)) {
            clock.advance(by: step)
            return try await condition()
        }
    }

    /// Moves the clock on, a second at a time, until `node`'s lease was renewed (one heartbeat
    /// round: 10 s at most).
    func heartbeatRound(renewing node: String) async throws {
        let before = try await leases.get(node)[path: "spec", "renewTime"]
        try await waitAdvancing("a renewal of \(node)'s lease", step: .seconds(1)) {
            try await leases.get(node)[path: "spec", "renewTime"] != before
        }
    }
}

extension JSONValue {
    /// The condition `type` of a pod's or node's status.
    func condition(_ type: String) -> JSONValue? {
        self[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == .string(type) }
    }
}
