import SkiffAPI
import SkiffModels

/// A Deployment's ReplicaSets split into the new one (whose template is the Deployment's) and
/// the old ones (upstream's `FindNewReplicaSet`/`FindOldReplicaSets`).
struct ReplicaSetSplit {
    var new: AppsV1.ReplicaSet?
    var old: [AppsV1.ReplicaSet]

    /// Splits `owned` by `deployment`'s template: the oldest matching set is the new one.
    init(_ owned: [AppsV1.ReplicaSet], deployment: AppsV1.Deployment) {
        let template = deployment.spec?.template
        let new = owned.byCreation.first { PodTemplateHash.equalIgnoringHash($0.spec?.template, template) }
        self.new = new
        old = owned.filter { $0.metadata?.uid != new?.metadata?.uid }
    }

    /// The old sets, then the new one.
    var all: [AppsV1.ReplicaSet] { old + (new.map { [$0] } ?? []) }

    /// The only active set, or the newest when none is active; nil with several active
    /// (upstream's `FindActiveOrLatest`).
    var activeOrLatest: AppsV1.ReplicaSet? {
        let newestFirst = old.byCreation.reversed()
        let active = (Array(newestFirst) + (new.map { [$0] } ?? [])).active
        switch active.count {
        case 0: return new ?? newestFirst.first
        case 1: return active[0]
        default: return nil
        }
    }

    /// Puts the written version of a set (same UID) in place of the one held.
    mutating func replace(_ replicaSet: AppsV1.ReplicaSet) {
        if new?.metadata?.uid == replicaSet.metadata?.uid {
            new = replicaSet
        } else if let index = old.firstIndex(where: { $0.metadata?.uid == replicaSet.metadata?.uid }) {
            old[index] = replicaSet
        }
    }
}

extension [AppsV1.ReplicaSet] {
    /// Puts the written version of a set (same UID) in place, or appends it.
    mutating func replace(_ replicaSet: AppsV1.ReplicaSet) {
        if let index = firstIndex(where: { $0.metadata?.uid == replicaSet.metadata?.uid }) {
            self[index] = replicaSet
        } else {
            append(replicaSet)
        }
    }
}
