import DequeModule

/// The watch cache's window of recent events, oldest first.
struct EventRing {
    private var events = Deque<WatchCacheEvent>()

    var count: Int { events.count }

    mutating func append(_ event: WatchCacheEvent) {
        events.append(event)
    }

    mutating func removeFirst() -> WatchCacheEvent? {
        events.popFirst()
    }

    /// The events with a revision above `revision`, in order (binary search: revisions increase).
    func events(after revision: Int64) -> [WatchCacheEvent] {
        var low = 0
        var high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].revision <= revision { low = mid + 1 } else { high = mid }
        }
        return Array(events[low...])
    }
}
