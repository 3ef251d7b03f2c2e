import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffTesting

@testable import SkiffControllers
import SkiffModels

/// Services, pods with an IP and readiness, and nodes, as the endpoints and node tests need them.
enum EndpointsFixtures {
    static let services = CoreV1.Service.groupVersionResource
    static let endpoints = CoreV1.Endpoints.groupVersionResource
    static let endpointSlices = DiscoveryV1.EndpointSlice.groupVersionResource
    static let nodes = CoreV1.Node.groupVersionResource
    static let leases = CoordinationV1.Lease.groupVersionResource
    static let events = GroupVersionResource(group: "", version: "v1", resource: "events")

    static func service(_ name: String, selector: [String: String]?, ports: [JSONValue], headless: Bool = false) -> JSONValue {
        var spec: JSONValue = ["ports": .array(ports)]
        if let selector { spec["selector"] = .object(selector.mapValues(JSONValue.string)) }
        if headless { spec["clusterIP"] = "None" }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
    }

    static func pod(
        _ name: String, labels: [String: String], node: String? = nil, containerPorts: [JSONValue] = [], tolerations: [JSONValue]? = nil
    ) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "app", "image": "nginx", "ports": .array(containerPorts)]]]
        if let node { spec["nodeName"] = .string(node) }
        if let tolerations { spec["tolerations"] = .array(tolerations) }
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
        pod.labels = labels
        return pod
    }

    /// Creates the pod, then reports it running at `ip`, ready or not.
    @discardableResult
    static func createRunning(_ pod: JSONValue, ip: String, ready: Bool, in cluster: InProcessCluster) async throws -> JSONValue {
        let created = try await cluster.pods().create(pod)
        return try await setReady(created, ip: ip, ready: ready, in: cluster)
    }

    /// Reports the pod running at `ip` with its `Ready` condition.
    @discardableResult
    static func setReady(_ pod: JSONValue, ip: String, ready: Bool, in cluster: InProcessCluster) async throws -> JSONValue {
        var updated = try await cluster.pods().get(pod.name ?? "")
        updated["status"] = [
            "phase": "Running", "podIP": .string(ip), "podIPs": [["ip": .string(ip)]],
            "conditions": [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": .string(Timestamp.now().rfc3339)]],
        ]
        return try await cluster.pods().updateStatus(updated)
    }

    /// Creates a node, ready with a fresh heartbeat, and its Lease.
    @discardableResult
    static func createNode(_ name: String, zone: String? = nil, in cluster: InProcessCluster) async throws -> JSONValue {
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]
        if let zone { node.labels = ["topology.kubernetes.io/zone": zone] }
        let created = try await cluster.resource(nodes).create(node)
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(name), "namespace": "kube-node-lease"],
            "spec": ["holderIdentity": .string(name), "leaseDurationSeconds": 40, "renewTime": .string(Timestamp.now().rfc3339Micro)],
        ]
        _ = try await cluster.resource(leases, namespace: "kube-node-lease").create(lease)
        return try await postReady(created, status: "True", in: cluster)
    }

    /// Posts the node's `Ready` condition with a new heartbeat, as a kubelet does.
    @discardableResult
    static func postReady(_ node: JSONValue, status: String, in cluster: InProcessCluster) async throws -> JSONValue {
        var updated = try await cluster.resource(nodes).get(node.name ?? "")
        let now = Timestamp.now().rfc3339
        updated[path: "status", "conditions"] = [[
            "type": "Ready", "status": .string(status), "reason": "KubeletReady", "message": "kubelet is posting ready status",
            "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now),
        ]]
        return try await cluster.resource(nodes).updateStatus(updated)
    }

    static func containerPort(_ name: String, _ number: Int64) -> JSONValue {
        ["name": .string(name), "containerPort": .int(number)]
    }

    static func servicePort(_ name: String, _ port: Int64, target: JSONValue) -> JSONValue {
        ["name": .string(name), "port": .int(port), "targetPort": target]
    }

    /// The IPs of a list of addresses.
    static func ips(_ addresses: JSONValue?) -> [String] {
        (addresses?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
    }
}
