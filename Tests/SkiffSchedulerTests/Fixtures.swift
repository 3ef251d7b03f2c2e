import Foundation
import SkiffAPI
import SkiffModels
@testable import SkiffScheduler

/// Pods and nodes as JSON, and their scheduler views, for the tests.
enum Fixtures {
    static func pod(
        _ name: String, namespace: String = "default", labels: [String: String] = [:], cpu: String? = nil, memory: String? = nil,
        spec extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var requests: [String: JSONValue] = [:]
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var container: JSONValue = ["name": "app", "image": "nginx"]
        if !requests.isEmpty { container["resources"] = ["requests": .object(requests)] }
        var spec: [String: JSONValue] = ["containers": [container]]
        spec.merge(extra) { $1 }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": .object(spec),
        ]
    }

    static func node(
        _ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int64 = 110, labels: [String: String] = [:],
        taints: [JSONValue] = [], unschedulable: Bool = false
    ) -> JSONValue {
        var labels = labels
        labels["kubernetes.io/hostname"] = name
        var spec: JSONValue = ["taints": .array(taints)]
        if unschedulable { spec["unschedulable"] = true }
        let resources: JSONValue = ["cpu": .string(cpu), "memory": .string(memory), "pods": .int(pods), "ephemeral-storage": "100Gi"]
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": spec, "status": ["capacity": resources, "allocatable": resources],
        ]
    }

    static func taint(_ key: String, _ value: String = "", effect: String = "NoSchedule") -> JSONValue {
        ["key": .string(key), "value": .string(value), "effect": .string(effect)]
    }

    /// A node info with `pods` bound to it.
    static func nodeInfo(_ node: JSONValue, pods: [JSONValue] = []) -> NodeInfo {
        var info = NodeInfo(node: Node(json: node))
        for pod in pods { info.add(PodInfo(json: pod)) }
        return info
    }

    static func snapshot(_ infos: [NodeInfo]) -> Snapshot {
        Snapshot(nodes: infos, podsWithRequiredAntiAffinity: infos.reduce(0) { $0 + $1.podsWithRequiredAntiAffinity })
    }

    /// The state the PreFilters compute for `pod` over `infos`.
    static func state(_ pod: PodInfo, _ infos: [NodeInfo]) -> CycleState {
        CycleState(pod, snapshot: snapshot(infos))
    }
}

extension PodInfo {
    /// The scheduler's view of a fixture pod.
    convenience init(json: JSONValue) {
        self.init(Fixtures.typed(json, as: CoreV1.Pod.self))
    }
}

extension Node {
    /// The scheduler's view of a fixture node.
    convenience init(json: JSONValue) {
        self.init(Fixtures.typed(json, as: CoreV1.Node.self))
    }
}

extension Fixtures {
    /// A fixture as its typed model (the fixtures are valid objects, so decoding cannot fail).
    static func typed<Object: Decodable>(_ json: JSONValue, as type: Object.Type) -> Object {
        do {
            return try JSONDecoder().decode(type, from: Data(json.serialized()))
        } catch {
            preconditionFailure("fixture \(json) is not a valid \(type): \(error)")
        }
    }
}
