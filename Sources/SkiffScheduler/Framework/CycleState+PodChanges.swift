/// Keeps the PreFilter state in step when a dry run adds or removes a pod on a node (upstream's
/// `PreFilterExtensions`): preemption removes candidate victims and adds back those it spares,
/// and nominated pods are added before filtering.
extension CycleState {
    /// `existing` now runs on `node`, as far as the incoming `pod`'s filters are concerned.
    mutating func add(_ existing: PodInfo, on node: Node, for pod: PodInfo) {
        update(existing, on: node, for: pod, delta: 1)
    }

    /// `existing` no longer runs on `node`.
    mutating func remove(_ existing: PodInfo, on node: Node, for pod: PodInfo) {
        update(existing, on: node, for: pod, delta: -1)
    }

    private mutating func update(_ existing: PodInfo, on node: Node, for pod: PodInfo, delta: Int64) {
        if var spread = topologySpread {
            PodTopologySpread.update(&spread, for: pod, existing: existing, on: node, delta: delta)
            topologySpread = spread
        }
        // Without a state nobody had required (anti-)affinity; a pod that has some starts one.
        if interPodAffinity != nil || existing.hasRequiredAntiAffinity {
            var affinity = interPodAffinity ?? InterPodAffinity.State()
            InterPodAffinity.update(&affinity, for: pod, existing: existing, on: node, delta: delta)
            interPodAffinity = affinity
        }
    }
}
