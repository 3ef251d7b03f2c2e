import SkiffModels

/// A pod's hard node selection (upstream's `nodeaffinity.RequiredNodeAffinity`): every
/// `spec.nodeSelector` label and, when set, one of the required node affinity's terms. Shared by
/// the controllers that place pods on nodes (DaemonSets) and the scheduler.
public struct RequiredNodeAffinity: Sendable, Equatable {
    /// `spec.nodeSelector`.
    public var nodeSelector: [String: String]
    /// `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`; nil when unset.
    public var required: CoreV1.NodeSelector?

    /// The requirement of a pod's (or a template's) `spec`.
    public init(_ spec: CoreV1.PodSpec?) {
        self.init(nodeSelector: spec?.nodeSelector, affinity: spec?.affinity)
    }

    /// The requirement of a node selector and an affinity.
    public init(nodeSelector: [String: String]?, affinity: CoreV1.Affinity?) {
        self.nodeSelector = nodeSelector ?? [:]
        required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    }

    /// Whether a node with `labels` and `name` satisfies the requirement.
    public func matches(labels: [String: String], name: String) -> Bool {
        for (key, value) in nodeSelector where labels[key] != value { return false }
        return required?.matches(labels: labels, name: name) ?? true
    }

    /// Whether `node` satisfies the requirement.
    public func matches(_ node: CoreV1.Node) -> Bool {
        matches(labels: node.metadata?.labels ?? [:], name: node.name)
    }
}
