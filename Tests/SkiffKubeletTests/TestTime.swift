import SkiffAPI
import Synchronization

/// A wall clock tests move by hand.
final class TestTime: Sendable {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp = Timestamp(seconds: 1_700_000_000)) {
        current = Mutex(start)
    }

    var now: Timestamp { current.withLock { $0 } }

    func advance(seconds: Int64) {
        current.withLock { $0 = $0.adding(seconds: seconds) }
    }

    /// The clock as the kubelet's `now` closure.
    var function: @Sendable () -> Timestamp { { self.now } }
}
