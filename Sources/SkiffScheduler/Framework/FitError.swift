/// Why no node fits a pod, worded as upstream's `FitError`: "0/3 nodes are available: 1 node(s)
/// had untolerated taint {key: value}, 2 Insufficient cpu. preemption: 0/3 nodes are available:
/// 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.."
/// (the second part is preemption's, when it found no node to nominate).
struct FitError: Error, Sendable, Equatable {
    var numberOfNodes: Int
    /// The failure of each node that was evaluated, by node name.
    var failures: [String: FilterFailure]
    /// What the PostFilter (preemption) reported, empty when it nominated a node.
    var postFilterMessage = ""

    var message: String {
        var reasons: [String: Int] = [:]
        for failure in failures.values {
            for reason in failure.reasons { reasons[reason, default: 0] += 1 }
        }
        let filterMessage = "0/\(numberOfNodes) nodes are available: " + reasons.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ") + "."
        return postFilterMessage.isEmpty ? filterMessage : "\(filterMessage) \(postFilterMessage)."
    }
}
