import SkiffAPI
import Synchronization

/// How long a DaemonSet waits before deleting another failed pod on the same node (upstream's
/// `failedPodsBackoff`: 1 s, doubling up to 15 min, forgotten after twice that without a
/// failure), so that it does not fight a kubelet that keeps rejecting its pods.
final class FailedPodBackoff: Sendable {
    private struct Entry {
        var delay: Duration
        var lastUpdate: Timestamp
    }

    private let initial: Duration
    private let maximum: Duration
    private let clock: any TimestampClock
    private let entries = Mutex<[String: Entry]>([:])

    init(initial: Duration = .seconds(1), maximum: Duration = .seconds(900), clock: any TimestampClock) {
        self.initial = initial
        self.maximum = maximum
        self.clock = clock
    }

    /// How long `key` must still wait, or nil when a failed pod may be deleted now.
    func remaining(_ key: String) -> Duration? {
        let now = clock.now
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            let elapsed = entry.lastUpdate.duration(to: now)
            if elapsed > maximum * 2 {
                entries[key] = nil
                return nil
            }
            return elapsed < entry.delay ? entry.delay - elapsed : nil
        }
    }

    /// Records a deletion for `key`: the next one waits twice as long as the last, at most the maximum.
    func next(_ key: String) {
        let now = clock.now
        entries.withLock { entries in
            if let entry = entries[key], entry.lastUpdate.duration(to: now) <= maximum * 2 {
                entries[key] = Entry(delay: min(entry.delay * 2, maximum), lastUpdate: now)
            } else {
                entries[key] = Entry(delay: initial, lastUpdate: now)
            }
        }
    }
}
