import SkiffAPI
import SkiffModels

/// How a Deployment scaled in the middle of a rollout spreads the change over its active
/// ReplicaSets (upstream's proportional scaling in `scale`): each set gets its share of the
/// new total in proportion to its size at the total recorded in its `max-replicas`
/// annotation, rounded half away from zero, never beyond what is left to add or remove; the
/// leftover goes to the first set (the largest, the newest of equals when scaling up, the
/// oldest of equals when scaling down).
enum ProportionalScaling {
    /// A set's new size.
    struct Resize {
        var replicaSet: AppsV1.ReplicaSet
        var replicas: Int
    }

    /// The plan for a scaling step.
    struct Plan {
        /// `up`, `down`, or empty when the total does not change.
        var operation: String
        /// Every active set with its new size, in the order they are scaled.
        var resizes: [Resize]
    }

    /// Spreads `desired + maxSurge` (0 for no replicas) over the `active` sets;
    /// `currentReplicas` (the Deployment's `status.replicas`) stands in for a missing annotation.
    static func plan(_ active: [AppsV1.ReplicaSet], desired: Int, maxSurge: Int, currentReplicas: Int) -> Plan {
        let allowed = desired > 0 ? desired + maxSurge : 0
        let toAdd = allowed - active.specReplicaCount
        let operation = toAdd > 0 ? "up" : toAdd < 0 ? "down" : ""
        let ordered = active.sorted { left, right in
            if left.specReplicas != right.specReplicas { return left.specReplicas > right.specReplicas }
            return toAdd > 0 ? AppsV1.ReplicaSet.createdBefore(right, left) : AppsV1.ReplicaSet.createdBefore(left, right)
        }
        var added = 0
        var resizes: [Resize] = []
        for replicaSet in ordered {
            let share = toAdd == 0 ? 0 : proportion(of: replicaSet, desired: desired, maxSurge: maxSurge, currentReplicas: currentReplicas,
                                                    toAdd: toAdd, added: added)
            added += share
            resizes.append(Resize(replicaSet: replicaSet, replicas: replicaSet.specReplicas + share))
        }
        if toAdd != 0, !resizes.isEmpty {
            resizes[0].replicas = max(resizes[0].replicas + toAdd - added, 0)
        }
        return Plan(operation: operation, resizes: resizes)
    }

    /// The replicas one set gains (or loses), bounded by what is left (upstream's `GetReplicaSetProportion`).
    static func proportion(of replicaSet: AppsV1.ReplicaSet, desired: Int, maxSurge: Int, currentReplicas: Int, toAdd: Int, added: Int) -> Int {
        let size = replicaSet.specReplicas
        guard size != 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction: Int
        if desired == 0 {
            fraction = -size
        } else {
            let annotated = replicaSet.metadata?.annotations?[DeploymentAnnotation.maxReplicas].flatMap { Int($0) } ?? currentReplicas
            // A set is never scaled proportionally from zero, so `annotated` is not zero here.
            let scaled = Double(size * (desired + maxSurge)) / Double(max(annotated, 1))
            fraction = Int(scaled.rounded(.toNearestOrAwayFromZero)) - size
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }
}
