import SkiffAPI
import Synchronization

/// Integrates the CPU time of a node's simulated containers: each reading adds the container's
/// current rate over the time since its previous reading (since its start for the first), so
/// the counter only grows when the rate changes. Containers not read again are forgotten.
final class SimulatedUsageMeter: Sendable {
    /// A running container to read: its runtime ID, start and current rate.
    struct Reading: Sendable {
        var containerID: String
        var startedAt: Timestamp
        var rate: SimulatedUsageRate
    }

    private struct Counter {
        var cpuSeconds: Double
        var at: Timestamp
    }

    private let counters = Mutex<[String: Counter]>([:])

    init() {}

    /// The usage of every container of `readings` at `now`, by container ID.
    func read(_ readings: [Reading], now: Timestamp) -> [String: ContainerUsage] {
        counters.withLock { counters in
            var next: [String: Counter] = [:]
            var usage: [String: ContainerUsage] = [:]
            for reading in readings {
                let since = counters[reading.containerID] ?? Counter(cpuSeconds: 0, at: reading.startedAt)
                let elapsed = max(Self.seconds(now.duration(since: since.at)), 0)
                let counter = Counter(cpuSeconds: since.cpuSeconds + reading.rate.cores * elapsed, at: max(now, since.at))
                next[reading.containerID] = counter
                usage[reading.containerID] = ContainerUsage(cpuSeconds: counter.cpuSeconds, memoryBytes: reading.rate.memoryBytes)
            }
            counters = next
            return usage
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
