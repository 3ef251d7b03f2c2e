import SkiffAPI

/// A Deployment's ReplicaSets split into the new one (whose template is the Deployment's) and
/// the old ones (upstream's `FindNewReplicaSet`/`FindOldReplicaSets`).
struct ReplicaSetSplit {
    var new: JSONValue?
    var old: [JSONValue]

    /// Splits `owned` by `deployment`'s template: the oldest matching set is the new one.
    init(_ owned: [JSONValue], deployment: JSONValue) {
        let template = deployment[path: "spec", "template"]
        let new = owned.byCreation.first { PodTemplateHash.equalIgnoringHash($0[path: "spec", "template"], template) }
        self.new = new
        old = owned.filter { $0.uid != new?.uid }
    }

    /// The old sets, then the new one.
    var all: [JSONValue] { old + (new.map { [$0] } ?? []) }

    /// The only active set, or the newest when none is active; nil with several active
    /// (upstream's `FindActiveOrLatest`).
    var activeOrLatest: JSONValue? {
        let newestFirst = old.byCreation.reversed()
        let active = (Array(newestFirst) + (new.map { [$0] } ?? [])).active
        switch active.count {
        case 0: return new ?? newestFirst.first
        case 1: return active[0]
        default: return nil
        }
    }

    /// Puts the written version of a set (same UID) in place of the one held.
    mutating func replace(_ replicaSet: JSONValue) {
        if new?.uid == replicaSet.uid {
            new = replicaSet
        } else if let index = old.firstIndex(where: { $0.uid == replicaSet.uid }) {
            old[index] = replicaSet
        }
    }
}

extension [JSONValue] {
    /// Puts the written version of a set (same UID) in place, or appends it.
    mutating func replace(_ replicaSet: JSONValue) {
        if let index = firstIndex(where: { $0.uid == replicaSet.uid }) {
            self[index] = replicaSet
        } else {
            append(replicaSet)
        }
    }
}
