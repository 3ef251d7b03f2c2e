import SkiffAPI
import SkiffModels

/// What a simulated container uses: a constant CPU rate and working set. By default a
/// deterministic share of its requests (a tenth of the CPU request, half the memory request, a
/// small floor without requests); the pod annotations `skiff.dev/simulate-cpu-usage` and
/// `skiff.dev/simulate-memory-usage` (quantities, per container) replace them, so a test can
/// push a workload's CPU up.
struct SimulatedUsageRate: Sendable, Equatable {
    /// CPU in cores (1.0: one core busy all the time).
    var cores: Double
    /// The working set in bytes.
    var memoryBytes: Double

    /// What containers without a CPU request use (1m).
    static let floorCores = 0.001
    /// What containers without a memory request use (8Mi).
    static let floorMemoryBytes = 8.0 * 1024 * 1024

    /// The rate of `container` of `pod`.
    init(pod: CoreV1.Pod, container: CoreV1.Container) {
        let annotations = pod.metadata?.annotations ?? [:]
        let requests = container.resources?.requests ?? [:]
        let quantity = { (text: String?) in text.flatMap { ResourceQuantity(.string($0)) } }
        if let cpu = quantity(annotations[SimulationAnnotations.cpuUsage]) {
            cores = Self.units(cpu)
        } else {
            cores = quantity(requests["cpu"]?.string).map { max(Self.units($0) / 10, Self.floorCores) } ?? Self.floorCores
        }
        if let memory = quantity(annotations[SimulationAnnotations.memoryUsage]) {
            memoryBytes = Self.units(memory)
        } else {
            memoryBytes = quantity(requests["memory"]?.string).map { max(Self.units($0) / 2, Self.floorMemoryBytes) } ?? Self.floorMemoryBytes
        }
    }

    init(cores: Double, memoryBytes: Double) {
        self.cores = cores
        self.memoryBytes = memoryBytes
    }

    private static func units(_ quantity: ResourceQuantity) -> Double {
        max(Double(quantity.nanos) / 1e9, 0)
    }
}
