import Foundation
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// Where a DaemonSet's pods belong (upstream's `NodeShouldRunDaemonPod` and `daemon/util`): the
/// nodes its template's node name, node selector, required node affinity and tolerations
/// (with the tolerations every daemon pod gets) admit, and the pods made for one node.
enum DaemonSetPlacement {
    static let hashLabel = "controller-revision-hash"

    /// Whether a node should get a daemon pod, and whether one already there may stay.
    struct Decision: Equatable {
        var shouldRun: Bool
        var shouldContinueRunning: Bool
    }

    /// The tolerations upstream adds to every daemon pod, so that node conditions do not evict
    /// or keep out system daemons: not-ready and unreachable (`NoExecute`), disk, memory and PID
    /// pressure and unschedulable (`NoSchedule`), and network-unavailable for host-network pods.
    static func defaultTolerations(hostNetwork: Bool) -> [JSONValue] {
        var tolerations: [(String, String)] = [
            ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
            ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
            ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ]
        if hostNetwork { tolerations.append(("node.kubernetes.io/network-unavailable", "NoSchedule")) }
        return tolerations.map { key, effect -> JSONValue in ["key": .string(key), "operator": "Exists", "effect": .string(effect)] }
    }

    /// `spec` with the default tolerations added where no toleration has the same key and
    /// effect (upstream's `AddOrUpdateDaemonPodTolerations`).
    static func addingDefaultTolerations(to spec: JSONValue) -> JSONValue {
        var spec = spec
        var tolerations = spec["tolerations"]?.arrayValue ?? []
        for toleration in defaultTolerations(hostNetwork: spec["hostNetwork"]?.boolValue ?? false) {
            let same = tolerations.firstIndex { $0["key"] == toleration["key"] && $0["effect"] == toleration["effect"] }
            if let same { tolerations[same] = toleration } else { tolerations.append(toleration) }
        }
        spec["tolerations"] = .array(tolerations)
        return spec
    }

    /// Whether the DaemonSet's pods should run on `node`: a template node name or node selection
    /// that excludes it rules it out; an untolerated `NoSchedule` or `NoExecute` taint keeps new
    /// pods off it, and only an untolerated `NoExecute` taint evicts a pod already there.
    static func decision(for daemonSet: JSONValue, node: JSONValue) -> Decision {
        let spec = addingDefaultTolerations(to: daemonSet[path: "spec", "template", "spec"] ?? .emptyObject)
        let nodeName = spec["nodeName"]?.stringValue ?? ""
        let affinity = RequiredNodeAffinity(nodeSelector: typed(spec["nodeSelector"]), affinity: typed(spec["affinity"]))
        guard nodeName.isEmpty || nodeName == node.name, affinity.matches(labels: node.labels, name: node.name ?? "") else {
            return Decision(shouldRun: false, shouldContinueRunning: false)
        }
        let taints: [CoreV1.Taint] = typed(node[path: "spec", "taints"]) ?? []
        let tolerations: [CoreV1.Toleration] = typed(spec["tolerations"]) ?? []
        let noScheduleOrExecute: Set = [CoreV1.Taint.Effect.noSchedule, CoreV1.Taint.Effect.noExecute]
        guard TaintToleration.untoleratedTaint(taints, tolerations: tolerations, effects: noScheduleOrExecute) != nil else {
            return Decision(shouldRun: true, shouldContinueRunning: true)
        }
        let evicted = TaintToleration.untoleratedTaint(taints, tolerations: tolerations, effects: [CoreV1.Taint.Effect.noExecute]) != nil
        return Decision(shouldRun: false, shouldContinueRunning: !evicted)
    }

    /// `value` as a typed model, nil when absent or malformed (until this controller reads typed objects).
    private static func typed<Value: Decodable>(_ value: JSONValue?) -> Value? {
        guard let value, value != .null else { return nil }
        return try? JSONDecoder().decode(Value.self, from: Data(value.serialized()))
    }

    /// The node a daemon pod is for: its `spec.nodeName` once bound, else the node its
    /// required node affinity names by `metadata.name` (upstream's `GetTargetNodeName`).
    static func targetNode(of pod: JSONValue) -> String? {
        if let name = pod[path: "spec", "nodeName"]?.stringValue, !name.isEmpty { return name }
        let terms = pod[path: "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]?
            .arrayValue ?? []
        for term in terms {
            for field in term["matchFields"]?.arrayValue ?? [] where field["key"] == "metadata.name" && field["operator"] == "In" {
                if let values = field["values"]?.arrayValue, values.count == 1, let name = values[0].stringValue { return name }
            }
        }
        return nil
    }

    /// The pod for `nodeName`: the template with the revision `hash` label, the default
    /// tolerations, and a required node affinity on the node's `metadata.name` replacing the
    /// template's required terms (upstream's `ReplaceDaemonSetPodNodeNameNodeAffinity`);
    /// the scheduler binds it.
    static func pod(of daemonSet: JSONValue, template: JSONValue, nodeName: String, hash: String, controllerReference: JSONValue) -> JSONValue {
        var pod = PodControl.pod(
            from: template,
            metadata: [
                "generateName": .string((daemonSet.name ?? "") + "-"), "namespace": .string(daemonSet.namespace ?? ""),
                "ownerReferences": [controllerReference],
            ])
        pod["spec"] = addingDefaultTolerations(to: pod["spec"] ?? .emptyObject)
        var labels = pod.labels
        labels[hashLabel] = hash
        pod.labels = labels
        let term: JSONValue = ["matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(nodeName)]]]]
        pod[path: "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"] = ["nodeSelectorTerms": [term]]
        return pod
    }
}
