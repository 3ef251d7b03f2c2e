import SkiffAPI

/// One cumulative reading of a node or a container from a kubelet's `/metrics/resource`
/// (metrics-server's `MetricsPoint`).
public struct MetricsPoint: Sendable, Equatable {
    /// When the container started (nil for a node).
    public var startTime: Timestamp?
    /// When the kubelet read the figures.
    public var timestamp: Timestamp
    /// CPU time used so far, in core-seconds.
    public var cpuSeconds: Double
    /// The working set, in bytes.
    public var memoryBytes: Double

    public init(startTime: Timestamp? = nil, timestamp: Timestamp, cpuSeconds: Double, memoryBytes: Double) {
        self.startTime = startTime
        self.timestamp = timestamp
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
    }
}
