import SkiffAPI
import SkiffProtobuf

/// What a node or container used over a window, as metrics-server serves it: CPU as the rate
/// between two cumulative readings (in nanocores), memory as the later reading's working set.
public struct ResourceUsage: Sendable, Equatable {
    public var cpuNanoCores: Int64
    public var memoryBytes: Int64
    /// The later reading's time.
    public var timestamp: Timestamp
    /// The time between the two readings.
    public var window: Duration

    /// The usage between `previous` and `last`; nil when it cannot be told (the readings are not
    /// in order, or the counter went down).
    public init?(previous: MetricsPoint, last: MetricsPoint) {
        let window = last.timestamp.duration(since: previous.timestamp)
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        guard seconds > 0, last.cpuSeconds >= previous.cpuSeconds else { return nil }
        cpuNanoCores = Int64((last.cpuSeconds - previous.cpuSeconds) / seconds * 1e9)
        memoryBytes = Int64(max(last.memoryBytes, 0))
        timestamp = last.timestamp
        self.window = window
    }

    /// CPU as upstream's quantity (`12345678n`, `5m`).
    public var cpuQuantity: String { Self.canonical("\(cpuNanoCores)n", binary: false) }
    /// Memory as upstream's quantity (`26312Ki`).
    public var memoryQuantity: String { Self.canonical("\(memoryBytes)", binary: true) }
    /// The window as `metav1.Duration` prints it (`15.004s`).
    public var windowText: String {
        GoDuration.format(nanoseconds: window.components.seconds * 1_000_000_000 + window.components.attoseconds / 1_000_000_000)
    }

    private static func canonical(_ text: String, binary: Bool) -> String {
        ResourceQuantity(.string(text))?.canonical(binary: binary) ?? text
    }
}
