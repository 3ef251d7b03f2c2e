import SkiffAPI
import SkiffModels
import Synchronization

/// What the autoscaler remembers of each autoscaler between passes, as upstream's controller
/// does in memory: its recent recommendations (for the stabilization windows) and rescales
/// (for the scaling policies' periods). Lost on restart, as upstream's.
final class ScalingHistory: Sendable {
    struct Recommendation: Sendable, Equatable {
        var replicas: Int32
        var at: Timestamp
    }

    struct ScaleEvent: Sendable, Equatable {
        var change: Int32
        var at: Timestamp
    }

    struct Entry: Sendable {
        var recommendations: [Recommendation] = []
        var scaleUps: [ScaleEvent] = []
        var scaleDowns: [ScaleEvent] = []
    }

    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    /// Reads and changes autoscaler `key`'s history.
    func with<Result>(_ key: String, _ body: (inout Entry) -> Result) -> Result {
        entries.withLock { entries in body(&entries[key, default: Entry()]) }
    }

    /// Forgets a deleted autoscaler.
    func forget(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
