import SkiffComponentHelpers
import Synchronization

/// The nodes in a consistent state for one scheduling cycle.
struct Snapshot: Sendable {
    /// Every known node (with its Node object), in a stable order.
    var nodes: [NodeInfo]
    /// How many pods anywhere have required anti-affinity terms (0 lets InterPodAffinity skip its scan).
    var podsWithRequiredAntiAffinity: Int
    /// The pods nominated to each node by preemption, not yet bound (`NominatedPods`).
    var nominated: [String: [PodInfo]] = [:]
}

/// The scheduler's view of the cluster (upstream's `internal/cache`): nodes with the pods bound
/// to them, plus the pods the scheduler has assumed onto a node while their binding is in flight.
/// Informer events and the scheduling loop update it under one lock; a snapshot is a copy-on-write
/// copy of the node array, so taking one costs nothing until the cache changes again.
final class SchedulerCache: Sendable {
    private struct CachedPod {
        var pod: PodInfo
        var nodeName: String
        var assumed: Bool
    }

    private struct State {
        var nodes: [NodeInfo] = []
        var nodeIndex: [String: Int] = [:]
        /// Node infos of pods whose Node is unknown (not yet, or no longer), by node name; never in snapshots.
        var ghosts: [String: NodeInfo] = [:]
        var pods: [String: CachedPod] = [:]
        var podsWithRequiredAntiAffinity = 0

        mutating func withNode(_ name: String, _ body: (inout NodeInfo) -> Void) {
            if let index = nodeIndex[name] {
                body(&nodes[index])
            } else {
                var info = ghosts[name] ?? NodeInfo(node: Node(name: name, allocatable: ComputeResources()))
                body(&info)
                ghosts[name] = info.pods.isEmpty ? nil : info
            }
        }

        mutating func place(_ pod: PodInfo, on nodeName: String, assumed: Bool) {
            if let previous = pods[pod.key] { unplace(previous) }
            pods[pod.key] = CachedPod(pod: pod, nodeName: nodeName, assumed: assumed)
            withNode(nodeName) { $0.add(pod) }
            if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity += 1 }
        }

        mutating func unplace(_ cached: CachedPod) {
            withNode(cached.nodeName) { $0.remove(key: cached.pod.key) }
            if cached.pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity -= 1 }
        }
    }

    private let state = Mutex(State())

    init() {}

    /// The current nodes, for one scheduling cycle.
    func snapshot() -> Snapshot {
        state.withLock { Snapshot(nodes: $0.nodes, podsWithRequiredAntiAffinity: $0.podsWithRequiredAntiAffinity) }
    }

    /// How many nodes are known.
    var nodeCount: Int { state.withLock { $0.nodes.count } }

    /// Adds or replaces a Node; returns whether anything the scheduler judges by changed.
    @discardableResult
    func upsert(node: Node) -> Bool {
        state.withLock { state in
            if let index = state.nodeIndex[node.name] {
                let changed = state.nodes[index].node != node
                state.nodes[index].node = node
                return changed
            }
            var info = state.ghosts.removeValue(forKey: node.name) ?? NodeInfo(node: node)
            info.node = node
            state.nodeIndex[node.name] = state.nodes.count
            state.nodes.append(info)
            return true
        }
    }

    /// Removes a Node; pods still bound to it stay accounted to its name.
    func removeNode(named name: String) {
        state.withLock { state in
            guard let index = state.nodeIndex.removeValue(forKey: name) else { return }
            let removed = state.nodes[index]
            let last = state.nodes.count - 1
            if index != last {
                state.nodes.swapAt(index, last)
                state.nodeIndex[state.nodes[index].name] = index
            }
            state.nodes.removeLast()
            if !removed.pods.isEmpty { state.ghosts[name] = removed }
        }
    }

    /// Records `pod` on `nodeName` before its binding is confirmed (upstream's `AssumePod`).
    func assume(_ pod: PodInfo, on nodeName: String) {
        state.withLock { $0.place(pod, on: nodeName, assumed: true) }
    }

    /// Drops an assumed pod whose binding failed (upstream's `ForgetPod`); bound pods stay.
    func forget(key: String) {
        state.withLock { state in
            guard let cached = state.pods[key], cached.assumed else { return }
            state.unplace(cached)
            state.pods[key] = nil
        }
    }

    /// Whether `key` is assumed and not yet seen bound.
    func isAssumed(key: String) -> Bool {
        state.withLock { $0.pods[key]?.assumed ?? false }
    }

    /// Adds or updates a pod the informer shows bound (confirming an assumed one).
    func upsert(boundPod pod: PodInfo) {
        state.withLock { $0.place(pod, on: pod.nodeName, assumed: false) }
    }

    /// Removes a pod (deleted, or finished so that it no longer uses its node).
    func remove(podKey key: String) {
        state.withLock { state in
            guard let cached = state.pods.removeValue(forKey: key) else { return }
            state.unplace(cached)
        }
    }
}
