/// Why no node fits a pod, worded as upstream's `FitError`: "0/3 nodes are available: 1 node(s)
/// had untolerated taint {key: value}, 2 Insufficient cpu. preemption: 0/3 nodes are available:
/// 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.."
/// (the second part is preemption's, when it found no node to nominate).
struct FitError: Error, Sendable, Equatable {
    var numberOfNodes: Int
    /// The failure of each node that was evaluated, by node name.
    var failures: [String: FilterFailure]
    /// Why a PreFilter plugin rejected the pod; it then stands for the nodes' reasons ("0/3 nodes
    /// are available: pod has unbound immediate PersistentVolumeClaims.").
    var preFilterMessage: String?
    /// What the PostFilter (preemption) reported, empty when it nominated a node.
    var postFilterMessage = ""

    init(numberOfNodes: Int, failures: [String: FilterFailure], preFilterMessage: String? = nil) {
        self.numberOfNodes = numberOfNodes
        self.failures = failures
        self.preFilterMessage = preFilterMessage
    }

    var message: String {
        var reasons: [String: Int] = [:]
        for failure in failures.values {
            for reason in failure.reasons { reasons[reason, default: 0] += 1 }
        }
        let reasonText = preFilterMessage ?? reasons.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
        let filterMessage = "0/\(numberOfNodes) nodes are available: \(reasonText)."
        return postFilterMessage.isEmpty ? filterMessage : "\(filterMessage) \(postFilterMessage)."
    }
}
