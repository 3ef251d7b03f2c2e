/// One write in a store's history: the key's value after it (nil for a delete) and before it.
struct HistoryEntry: Sendable {
    var revision: Int64
    var key: String
    var kv: KeyValue?
    var previous: KeyValue?

    /// The write as a watch event. A delete carries the key's last value, stamped with the delete's revision.
    var event: KeyValueEvent {
        if let kv { return KeyValueEvent(kind: .put, kv: kv, previous: previous) }
        var tombstone = previous ?? KeyValue(key: key, value: [], createRevision: 0, modRevision: revision)
        tombstone.modRevision = revision
        return KeyValueEvent(kind: .delete, kv: tombstone, previous: previous)
    }

    /// The value of `key` at `revision` according to `history` (sorted by revision).
    static func value(of key: String, at revision: Int64, in history: [HistoryEntry]) -> KeyValue? {
        var low = 0
        var high = history.count
        while low < high {
            let mid = (low + high) / 2
            if history[mid].revision <= revision { low = mid + 1 } else { high = mid }
        }
        for entry in history[..<low].reversed() where entry.key == key { return entry.kv }
        return nil
    }

    /// Drops history at or below `revision`, keeping the last write of every key that is still
    /// live at that revision (so reads above it stay complete).
    static func compact(_ history: [HistoryEntry], to revision: Int64) -> [HistoryEntry] {
        var lastWrite: [String: Int] = [:]
        for (offset, entry) in history.enumerated() where entry.revision <= revision {
            lastWrite[entry.key] = offset
        }
        return history.enumerated().compactMap { offset, entry in
            if entry.revision > revision { return entry }
            return lastWrite[entry.key] == offset && entry.kv != nil ? entry : nil
        }
    }
}
