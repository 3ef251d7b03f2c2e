/// Why no node fits a pod, worded as upstream's `FitError`: "0/3 nodes are available: 1 node(s)
/// had untolerated taint {key: value}, 2 Insufficient cpu. preemption: 0/3 nodes are available:
/// 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.."
///
/// Preemption is not implemented; the second part is what upstream's default preemption reports
/// when it finds no victims, which is exact whenever no lower-priority pod could be evicted.
struct FitError: Error, Sendable, Equatable {
    var numberOfNodes: Int
    /// The failure of each node that was evaluated, by node name.
    var failures: [String: FilterFailure]
    /// Why a PreFilter plugin rejected the pod; it then stands for the nodes' reasons ("0/3 nodes
    /// are available: pod has unbound immediate PersistentVolumeClaims.").
    var preFilterMessage: String?

    init(numberOfNodes: Int, failures: [String: FilterFailure], preFilterMessage: String? = nil) {
        self.numberOfNodes = numberOfNodes
        self.failures = failures
        self.preFilterMessage = preFilterMessage
    }

    var message: String {
        var reasons: [String: Int] = [:]
        var preemption: [String: Int] = [:]
        for failure in failures.values {
            for reason in failure.reasons { reasons[reason, default: 0] += 1 }
            let verdict = failure.code == .unresolvable
                ? "Preemption is not helpful for scheduling" : "No preemption victims found for incoming pod"
            preemption[verdict, default: 0] += 1
        }
        let preemptionMessage = "preemption: \(Self.histogram(preemption, nodes: numberOfNodes))."
        let reasonMessage = preFilterMessage.map { "0/\(numberOfNodes) nodes are available: \($0)" } ?? Self.histogram(reasons, nodes: numberOfNodes)
        return "\(reasonMessage). \(preemptionMessage)."
    }

    /// "0/N nodes are available: " and the reasons with their counts, sorted as strings (as upstream).
    private static func histogram(_ counts: [String: Int], nodes: Int) -> String {
        "0/\(nodes) nodes are available: " + counts.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
    }
}
