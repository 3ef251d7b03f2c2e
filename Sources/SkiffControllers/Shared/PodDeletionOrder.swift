import SkiffAPI

/// Which pods go first when a controller scales down (upstream's `ActivePodsWithRanks`): the
/// least valuable first: unscheduled before scheduled; pending before unknown before running;
/// not ready before ready; on nodes crowded with the set's pods before others; ready for less
/// time before longer; more restarts before fewer; newer before older.
enum PodDeletionOrder {
    /// Orders `pods` least valuable first.
    static func sorted(_ pods: [JSONValue]) -> [JSONValue] {
        var podsOnNode: [String: Int] = [:]
        for pod in pods {
            if let node = pod[path: "spec", "nodeName"]?.stringValue, !node.isEmpty { podsOnNode[node, default: 0] += 1 }
        }
        return pods.sorted { lhs, rhs in
            goesFirst(lhs, rhs, podsOnNode: podsOnNode)
        }
    }

    private static func phaseRank(_ pod: JSONValue) -> Int {
        switch pod.podPhase {
        case "Pending": 0
        case "Unknown": 1
        case "Running": 2
        default: 3
        }
    }

    private static func goesFirst(_ lhs: JSONValue, _ rhs: JSONValue, podsOnNode: [String: Int]) -> Bool {
        let lhsNode = lhs[path: "spec", "nodeName"]?.stringValue ?? ""
        let rhsNode = rhs[path: "spec", "nodeName"]?.stringValue ?? ""
        if lhsNode.isEmpty != rhsNode.isEmpty { return lhsNode.isEmpty }
        if phaseRank(lhs) != phaseRank(rhs) { return phaseRank(lhs) < phaseRank(rhs) }
        if lhs.isPodReady != rhs.isPodReady { return !lhs.isPodReady }
        let lhsCrowd = podsOnNode[lhsNode] ?? 0
        let rhsCrowd = podsOnNode[rhsNode] ?? 0
        if lhsCrowd != rhsCrowd { return lhsCrowd > rhsCrowd }
        if lhs.isPodReady, let lhsSince = lhs.readySince, let rhsSince = rhs.readySince, lhsSince != rhsSince {
            return lhsSince > rhsSince
        }
        if lhs.restartCount != rhs.restartCount { return lhs.restartCount > rhs.restartCount }
        let lhsCreated = lhs.creationTimestamp ?? Timestamp(seconds: 0)
        let rhsCreated = rhs.creationTimestamp ?? Timestamp(seconds: 0)
        return lhsCreated > rhsCreated
    }
}
