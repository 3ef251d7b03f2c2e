import Synchronization

/// The pods nominated to run on a node once preemption has made room there (upstream's
/// `nominator`): filled from the pods' `status.nominatedNodeName` and from the scheduler's own
/// nominations, which may run ahead of the informer. Filters count the nominated pods of equal or
/// higher priority as if they were running, so the room is kept for them.
final class NominatedPods: Sendable {
    private struct State {
        /// Nominated pods by node name.
        var byNode: [String: [PodInfo]] = [:]
        /// The node of each nominated pod, by pod key.
        var nodeOfPod: [String: String] = [:]

        mutating func remove(key: String) {
            guard let node = nodeOfPod.removeValue(forKey: key) else { return }
            byNode[node]?.removeAll { $0.key == key }
            if byNode[node]?.isEmpty ?? false { byNode[node] = nil }
        }

        mutating func add(_ pod: PodInfo, on node: String) {
            remove(key: pod.key)
            guard !node.isEmpty else { return }
            nodeOfPod[pod.key] = node
            byNode[node, default: []].append(pod)
        }
    }

    private let state = Mutex(State())

    init() {}

    /// Records `pod` as nominated to `node`; an empty node clears its nomination.
    func nominate(_ pod: PodInfo, to node: String) {
        state.withLock { $0.add(pod, on: node) }
    }

    /// A pending pod was added or changed (upstream's `AddNominatedPod` without nominating info
    /// and `UpdateNominatedPod`): its `status.nominatedNodeName` counts; while neither the old nor
    /// the new version names a node, a nomination the scheduler made itself is kept.
    func update(old: PodInfo?, _ pod: PodInfo) {
        state.withLock { state in
            var node = pod.nominatedNodeName
            if node.isEmpty && (old?.nominatedNodeName ?? "").isEmpty { node = state.nodeOfPod[pod.key] ?? "" }
            state.add(pod, on: node)
        }
    }

    /// The pod was bound, assumed or deleted: it no longer holds a nomination.
    func remove(key: String) {
        state.withLock { $0.remove(key: key) }
    }

    /// The pods nominated to run on `node`.
    func pods(on node: String) -> [PodInfo] {
        state.withLock { $0.byNode[node] ?? [] }
    }

    /// Every nomination, by node name (for one scheduling cycle).
    func snapshot() -> [String: [PodInfo]] {
        state.withLock { $0.byNode }
    }
}
