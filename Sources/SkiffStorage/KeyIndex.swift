/// Every live key with what a backend keeps for it at the latest revision (the whole `KeyValue`
/// in `MemoryStorage`, only the revisions in `SQLiteStorage`), the keys kept sorted for ordered
/// range reads.
struct KeyIndex<Entry> {
    private var entries: [String: Entry] = [:]
    private var sortedKeys: [String] = []

    var count: Int { entries.count }

    subscript(key: String) -> Entry? { entries[key] }

    mutating func put(_ key: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: key) == nil {
            sortedKeys.insert(key, at: insertionPoint(key))
        }
    }

    mutating func remove(_ key: String) {
        guard entries.removeValue(forKey: key) != nil else { return }
        let index = insertionPoint(key)
        if index < sortedKeys.count, sortedKeys[index] == key { sortedKeys.remove(at: index) }
    }

    /// The keys in `[start, end)` in order with their entries, at most `limit` (0 = all), whether
    /// more follow, and the total number of keys in the range.
    func range(start: String, end: String, limit: Int) -> (entries: [(key: String, entry: Entry)], more: Bool, count: Int) {
        let low = insertionPoint(start)
        let high = insertionPoint(end)
        guard low < high else { return ([], false, 0) }
        let total = high - low
        let take = limit > 0 ? min(limit, total) : total
        let page = sortedKeys[low..<(low + take)].map { (key: $0, entry: entries[$0]!) }
        return (page, take < total, total)
    }

    /// The first index whose key is not less than `key` (byte order, as etcd).
    private func insertionPoint(_ key: String) -> Int {
        var low = 0
        var high = sortedKeys.count
        while low < high {
            let mid = (low + high) / 2
            if Self.less(sortedKeys[mid], key) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Byte-wise comparison of UTF-8 keys (Swift's `<` on String compares by Unicode scalars,
    /// which agrees with UTF-8 byte order).
    static func less(_ a: String, _ b: String) -> Bool { a < b }
}

extension KeyIndex: Sendable where Entry: Sendable {}
