import SkiffAPI
import Synchronization

/// Creations and deletions a controller has asked for but not yet seen in its cache
/// (upstream's `ControllerExpectations`): while any are outstanding the controller does not
/// act on its cache again, so a lagging cache never makes it create or delete twice.
/// Expectations older than `timeout` are considered met, in case an event was missed.
final class ControllerExpectations: Sendable {
    private struct Pending {
        var adds = 0
        var deletes = 0
        var setAt: Timestamp
    }

    private let timeout: Duration
    private let clock: any TimestampClock
    private let pending = Mutex<[String: Pending]>([:])

    init(timeout: Duration = .seconds(300), clock: any TimestampClock) {
        self.timeout = timeout
        self.clock = clock
    }

    /// Whether the controller of `key` may act on its cache again.
    func isSatisfied(_ key: String) -> Bool {
        let now = clock.now
        return pending.withLock { pending in
            guard let expected = pending[key] else { return true }
            return (expected.adds <= 0 && expected.deletes <= 0) || expected.setAt.duration(to: now) > timeout
        }
    }

    /// Expects `adds` creations and `deletes` deletions for `key` (replacing earlier expectations).
    func expect(_ key: String, adds: Int = 0, deletes: Int = 0) {
        let now = clock.now
        pending.withLock { $0[key] = Pending(adds: adds, deletes: deletes, setAt: now) }
    }

    /// A creation was observed, or will not happen.
    func creationObserved(_ key: String) {
        pending.withLock { $0[key]?.adds -= 1 }
    }

    /// A deletion was observed, or will not happen.
    func deletionObserved(_ key: String) {
        pending.withLock { $0[key]?.deletes -= 1 }
    }

    /// Forgets `key` (its controller is gone).
    func delete(_ key: String) {
        pending.withLock { $0[key] = nil }
    }
}
