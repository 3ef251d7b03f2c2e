import SkiffAPI
import SkiffModels

/// What ranking a pod for deletion reads of it.
struct PodRank {
    var nodeName: String
    var phase: String
    var isReady: Bool
    var readySince: Timestamp?
    var restartCount: Int64
    var created: Timestamp?

    init(_ pod: CoreV1.Pod) {
        nodeName = pod.spec?.nodeName ?? ""
        phase = pod.phase
        isReady = pod.isReady
        readySince = pod.readySince
        restartCount = pod.restartCount
        created = pod.metadata?.creationTimestamp
    }
}

/// Which pods go first when a controller scales down (upstream's `ActivePodsWithRanks`): the
/// least valuable first: unscheduled before scheduled; pending before unknown before running;
/// not ready before ready; on nodes crowded with the set's pods before others; ready for less
/// time before longer; more restarts before fewer; newer before older.
enum PodDeletionOrder {
    /// Orders `pods` least valuable first.
    static func sorted(_ pods: [CoreV1.Pod]) -> [CoreV1.Pod] {
        let ranked = pods.map { (pod: $0, rank: PodRank($0)) }
        var podsOnNode: [String: Int] = [:]
        for entry in ranked where !entry.rank.nodeName.isEmpty { podsOnNode[entry.rank.nodeName, default: 0] += 1 }
        return ranked.sorted { lhs, rhs in goesFirst(lhs.rank, rhs.rank, podsOnNode: podsOnNode) }.map(\.pod)
    }

    private static func phaseRank(_ phase: String) -> Int {
        switch phase {
        case "Pending": 0
        case "Unknown": 1
        case "Running": 2
        default: 3
        }
    }

    private static func goesFirst(_ lhs: PodRank, _ rhs: PodRank, podsOnNode: [String: Int]) -> Bool {
        if lhs.nodeName.isEmpty != rhs.nodeName.isEmpty { return lhs.nodeName.isEmpty }
        if phaseRank(lhs.phase) != phaseRank(rhs.phase) { return phaseRank(lhs.phase) < phaseRank(rhs.phase) }
        if lhs.isReady != rhs.isReady { return !lhs.isReady }
        let lhsCrowd = podsOnNode[lhs.nodeName] ?? 0
        let rhsCrowd = podsOnNode[rhs.nodeName] ?? 0
        if lhsCrowd != rhsCrowd { return lhsCrowd > rhsCrowd }
        if lhs.isReady, let lhsSince = lhs.readySince, let rhsSince = rhs.readySince, lhsSince != rhsSince {
            return lhsSince > rhsSince
        }
        if lhs.restartCount != rhs.restartCount { return lhs.restartCount > rhs.restartCount }
        let lhsCreated = lhs.created ?? Timestamp(seconds: 0)
        let rhsCreated = rhs.created ?? Timestamp(seconds: 0)
        return lhsCreated > rhsCreated
    }
}
