import SkiffAPI

/// A node where preemption would make room for the pod, and the pods it would evict there
/// (ordered from the most to the least important).
struct PreemptionCandidate: Sendable {
    var node: String
    var victims: [PodInfo]
    /// How many of the victims' evictions violate a PodDisruptionBudget.
    var pdbViolations: Int

    /// Upstream's `MoreImportantPod`: higher priority first, then the earlier start (a pod not
    /// started yet counts as starting `now`).
    static func moreImportant(_ lhs: PodInfo, _ rhs: PodInfo, now: Timestamp) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        return (lhs.startTime ?? now) < (rhs.startTime ?? now)
    }

    /// The earliest start among the victims of the highest priority (upstream's `GetEarliestPodStartTime`).
    func earliestStartOfMostImportantVictims(now: Timestamp) -> Timestamp {
        let highest = victims.map(\.priority).max() ?? 0
        return victims.filter { $0.priority == highest }.map { $0.startTime ?? now }.min() ?? now
    }

    /// The candidate upstream's `pickOneNodeForPreemption` picks: the fewest PDB violations, then
    /// the lowest highest-victim priority, the smallest sum of victim priorities, the fewest
    /// victims, the latest start of the most important victims, and then the first in the list.
    static func best(of candidates: [PreemptionCandidate], now: Timestamp) -> PreemptionCandidate? {
        guard candidates.count > 1 else { return candidates.first }
        let criteria: [(PreemptionCandidate) -> Int64] = [
            { -Int64($0.pdbViolations) },
            { -($0.victims.first?.priority ?? 0) },
            // Shifted by 2^31 so that each victim adds a positive amount, even at negative priorities.
            { -$0.victims.reduce(0) { $0 + $1.priority + Int64(Int32.max) + 1 } },
            { -Int64($0.victims.count) },
            {
                let start = $0.earliestStartOfMostImportantVictims(now: now)
                return start.seconds * 1_000_000_000 + Int64(start.nanoseconds)
            },
        ]
        var remaining = candidates
        for score in criteria {
            let scores = remaining.map(score)
            let top = scores.max() ?? 0
            remaining = zip(remaining, scores).filter { $0.1 == top }.map(\.0)
            if remaining.count == 1 { break }
        }
        return remaining.first
    }
}
