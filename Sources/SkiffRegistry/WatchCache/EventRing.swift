/// A FIFO of watch cache events with O(1) append and removal at the front.
struct EventRing {
    private var storage: [WatchCacheEvent] = []
    private var head = 0

    var count: Int { storage.count - head }

    mutating func append(_ event: WatchCacheEvent) {
        storage.append(event)
    }

    mutating func removeFirst() -> WatchCacheEvent? {
        guard head < storage.count else { return nil }
        let event = storage[head]
        head += 1
        if head > 1024 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return event
    }

    /// The events with a revision above `revision`, in order.
    func events(after revision: Int64) -> ArraySlice<WatchCacheEvent> {
        var low = head
        var high = storage.count
        while low < high {
            let mid = (low + high) / 2
            if storage[mid].revision <= revision { low = mid + 1 } else { high = mid }
        }
        return storage[low...]
    }
}
