import SkiffComponentHelpers
import SkiffAPI
import SkiffModels

/// What the scheduler needs of a Node, derived once from the typed object when the informer delivers it.
final class Node: Sendable, Equatable {
    let name: String
    let labels: [String: String]
    let taints: [CoreV1.Taint]
    let unschedulable: Bool
    /// `status.allocatable`: what pods may request in total.
    let allocatable: ComputeResources

    init(name: String, labels: [String: String] = [:], taints: [CoreV1.Taint] = [], unschedulable: Bool = false, allocatable: ComputeResources) {
        self.name = name
        self.labels = labels
        self.taints = taints
        self.unschedulable = unschedulable
        self.allocatable = allocatable
    }

    convenience init(_ node: CoreV1.Node) {
        self.init(
            name: node.name, labels: node.metadata?.labels ?? [:], taints: node.spec?.taints ?? [],
            unschedulable: node.spec?.unschedulable ?? false, allocatable: ComputeResources(node.status?.allocatable))
    }

    /// Same scheduling-relevant facts (a heartbeat that changes only conditions is not a change).
    static func == (lhs: Node, rhs: Node) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.taints == rhs.taints && lhs.unschedulable == rhs.unschedulable
            && lhs.allocatable == rhs.allocatable
    }
}
