import Synchronization

/// The pods whose job-tracking finalizer a controller removed but its cache may still show
/// (upstream's `uidTrackingExpectations`): until the cache catches up, such a pod must not be
/// counted a second time.
final class FinalizerExpectations: Sendable {
    private let expected = Mutex<[String: Set<String>]>([:])

    /// The pod UIDs of `key` whose removal is not yet observed.
    func uids(_ key: String) -> Set<String> {
        expected.withLock { $0[key] ?? [] }
    }

    /// Expects the finalizers of `uids` to go for the controller of `key`.
    func expectRemoval(_ key: String, uids: [String]) {
        expected.withLock { $0[key, default: []].formUnion(uids) }
    }

    /// The finalizer of pod `uid` is gone (or will not go).
    func removalObserved(_ key: String, uid: String) {
        expected.withLock { expected in
            expected[key]?.remove(uid)
            if expected[key]?.isEmpty == true { expected[key] = nil }
        }
    }

    /// Forgets `key` (its controller is gone).
    func delete(_ key: String) {
        expected.withLock { $0[key] = nil }
    }
}
