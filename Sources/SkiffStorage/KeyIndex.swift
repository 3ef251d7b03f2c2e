/// The latest value of every live key, with the keys kept sorted for ordered range reads.
/// Both backends keep it in memory so reads at the current revision never touch the disk.
struct KeyIndex {
    private(set) var values: [String: KeyValue] = [:]
    private var sortedKeys: [String] = []

    var count: Int { values.count }

    subscript(key: String) -> KeyValue? { values[key] }

    mutating func put(_ kv: KeyValue) {
        if values.updateValue(kv, forKey: kv.key) == nil {
            sortedKeys.insert(kv.key, at: insertionPoint(kv.key))
        }
    }

    mutating func remove(_ key: String) {
        guard values.removeValue(forKey: key) != nil else { return }
        let index = insertionPoint(key)
        if index < sortedKeys.count, sortedKeys[index] == key { sortedKeys.remove(at: index) }
    }

    /// The keys in `[start, end)` in order, at most `limit` (0 = all), whether more follow, and the
    /// total number of keys in the range.
    func range(start: String, end: String, limit: Int) -> (kvs: [KeyValue], more: Bool, count: Int) {
        let low = insertionPoint(start)
        let high = insertionPoint(end)
        guard low < high else { return ([], false, 0) }
        let total = high - low
        let take = limit > 0 ? min(limit, total) : total
        let kvs = sortedKeys[low..<(low + take)].map { values[$0]! }
        return (kvs, take < total, total)
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
