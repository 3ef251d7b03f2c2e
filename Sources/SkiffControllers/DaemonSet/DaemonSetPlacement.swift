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
    static func defaultTolerations(hostNetwork: Bool) -> [CoreV1.Toleration] {
        var tolerations: [(String, String)] = [
            ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
            ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
            ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ]
        if hostNetwork { tolerations.append(("node.kubernetes.io/network-unavailable", "NoSchedule")) }
        return tolerations.map { key, effect in CoreV1.Toleration(effect: effect, key: key, operator: "Exists") }
    }

    /// `spec` with the default tolerations added where no toleration has the same key and
    /// effect (upstream's `AddOrUpdateDaemonPodTolerations`).
    static func addingDefaultTolerations(to spec: CoreV1.PodSpec) -> CoreV1.PodSpec {
        var spec = spec
        var tolerations = spec.tolerations ?? []
        for toleration in defaultTolerations(hostNetwork: spec.hostNetwork ?? false) {
            let same = tolerations.firstIndex { $0.key == toleration.key && $0.effect == toleration.effect }
            if let same { tolerations[same] = toleration } else { tolerations.append(toleration) }
        }
        spec.tolerations = tolerations
        return spec
    }

    /// Whether the DaemonSet's pods should run on `node`: a template node name or node selection
    /// that excludes it rules it out; an untolerated `NoSchedule` or `NoExecute` taint keeps new
    /// pods off it, and only an untolerated `NoExecute` taint evicts a pod already there.
    static func decision(for daemonSet: AppsV1.DaemonSet, node: CoreV1.Node) -> Decision {
        let spec = addingDefaultTolerations(to: daemonSet.spec?.template.spec ?? CoreV1.PodSpec(containers: []))
        let nodeName = spec.nodeName ?? ""
        let affinity = RequiredNodeAffinity(nodeSelector: spec.nodeSelector, affinity: spec.affinity)
        guard nodeName.isEmpty || nodeName == node.name, affinity.matches(labels: node.metadata?.labels ?? [:], name: node.name) else {
            return Decision(shouldRun: false, shouldContinueRunning: false)
        }
        let taints = node.spec?.taints ?? []
        let tolerations = spec.tolerations ?? []
        let noScheduleOrExecute: Set = [CoreV1.Taint.Effect.noSchedule, CoreV1.Taint.Effect.noExecute]
        guard TaintToleration.untoleratedTaint(taints, tolerations: tolerations, effects: noScheduleOrExecute) != nil else {
            return Decision(shouldRun: true, shouldContinueRunning: true)
        }
        let evicted = TaintToleration.untoleratedTaint(taints, tolerations: tolerations, effects: [CoreV1.Taint.Effect.noExecute]) != nil
        return Decision(shouldRun: false, shouldContinueRunning: !evicted)
    }

    /// The node a daemon pod is for: its `spec.nodeName` once bound, else the node its
    /// required node affinity names by `metadata.name` (upstream's `GetTargetNodeName`).
    static func targetNode(of pod: CoreV1.Pod) -> String? {
        if let name = pod.spec?.nodeName, !name.isEmpty { return name }
        let terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
        for term in terms {
            for field in term.matchFields ?? [] where field.key == "metadata.name" && field.operator == "In" {
                if let values = field.values, values.count == 1 { return values[0] }
            }
        }
        return nil
    }

    /// The pod for `nodeName`: the template with the revision `hash` label, the default
    /// tolerations, and a required node affinity on the node's `metadata.name` replacing the
    /// template's required terms (upstream's `ReplaceDaemonSetPodNodeNameNodeAffinity`);
    /// the scheduler binds it.
    static func pod(of daemonSet: AppsV1.DaemonSet, nodeName: String, hash: String) -> CoreV1.Pod {
        var pod = PodControl.pod(
            from: daemonSet.spec?.template,
            metadata: ObjectMeta(generateName: daemonSet.name + "-", namespace: daemonSet.namespace, ownerReferences: [.controller(of: daemonSet)]))
        var spec = addingDefaultTolerations(to: pod.spec ?? CoreV1.PodSpec(containers: []))
        var labels = pod.metadata?.labels ?? [:]
        labels[hashLabel] = hash
        pod.metadata?.labels = labels
        let term = CoreV1.NodeSelectorTerm(matchFields: [CoreV1.NodeSelectorRequirement(key: "metadata.name", operator: "In", values: [nodeName])])
        var affinity = spec.affinity ?? CoreV1.Affinity()
        var nodeAffinity = affinity.nodeAffinity ?? CoreV1.NodeAffinity()
        nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = CoreV1.NodeSelector(nodeSelectorTerms: [term])
        affinity.nodeAffinity = nodeAffinity
        spec.affinity = affinity
        pod.spec = spec
        return pod
    }
}
