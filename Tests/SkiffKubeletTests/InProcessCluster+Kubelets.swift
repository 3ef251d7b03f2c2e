import SkiffAPI
import SkiffClient
import SkiffKubelet
import SkiffTesting
import Testing

/// The kubelet tests' view of SkiffTesting's in-process cluster: the cluster on a manual clock,
/// with a `KubeletHost` as its component.
struct KubeletTestCluster {
    static let quietLogger = InProcessCluster.quietLogger

    let cluster: InProcessCluster
    let host: KubeletHost
    /// The kubelets' clock: heartbeats, pod timings and requeues move only when a test advances it.
    let clock: ManualClock

    var client: KubernetesClient { cluster.client }

    /// Runs a server and kubelets for `nodes` (each offering what `node` says, publishing
    /// `staticPods`, on `makeRuntime`'s runtimes, simulated ones by default) for the duration of `body`.
    static func run<Result: Sendable>(
        nodes: [String] = ["skiff-node-0"], node: NodeConfiguration = NodeConfiguration(), staticPods: [StaticPod] = [],
        makeRuntime: (@Sendable (String) -> any ContainerRuntime)? = nil,
        _ body: @escaping @Sendable (KubeletTestCluster) async throws -> Result
    ) async throws -> Result {
        var options = InProcessCluster.Options()
        options.manualClock = true
        return try await InProcessCluster.withCluster(options) { cluster in
            let clock = try #require(cluster.manualClock)
            var configuration = KubeletConfiguration(nodeNames: nodes)
            configuration.clock = clock
            configuration.node = node
            configuration.staticPods = staticPods
            configuration.makeRuntime = makeRuntime
            let host = KubeletHost(configuration: configuration, client: cluster.client, logger: cluster.logger)
            return try await cluster.running([.service("kubelets") { _ in host }]) {
                try await body(KubeletTestCluster(cluster: cluster, host: host, clock: clock))
            }
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
        try await waitUntil(what) {
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
