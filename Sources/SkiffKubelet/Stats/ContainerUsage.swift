/// One container's resource figures at one moment, as the kubelet's `/metrics/resource`
/// reports them (the CRI's `ContainerStats`, reduced to what metrics-server reads).
public struct ContainerUsage: Sendable, Equatable {
    /// CPU time used since the container started, in core-seconds (a counter).
    public var cpuSeconds: Double
    /// Memory in use (the working set), in bytes.
    public var memoryBytes: Double

    public init(cpuSeconds: Double, memoryBytes: Double) {
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
    }
}
