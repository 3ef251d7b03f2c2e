import SkiffAPI
import SkiffModels

/// The resources the scheduler and the kubelet's admission account for, in integer units as
/// upstream's `framework.Resource`: millicores of CPU, bytes of memory and ephemeral storage, and
/// a number of pods.
public struct ComputeResources: Sendable, Hashable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0
    public var ephemeralStorage: Int64 = 0
    /// Allowed pods (a node's `pods` allocatable); unused for pod requests.
    public var pods: Int64 = 0

    /// The amounts a resource list (`["cpu": "500m", "memory": "1Gi", ...]`) names.
    public init(_ list: [String: Quantity]?) {
        func quantity(_ name: String) -> ResourceQuantity? { list?[name].flatMap { ResourceQuantity(.string($0.string)) } }
        milliCPU = quantity("cpu")?.milliValue ?? 0
        memory = quantity("memory")?.value ?? 0
        ephemeralStorage = quantity("ephemeral-storage")?.value ?? 0
        pods = quantity("pods")?.value ?? 0
    }

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, pods: Int64 = 0) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.pods = pods
    }

    /// Whether nothing is requested (cpu, memory and ephemeral storage all zero).
    public var isZero: Bool { milliCPU == 0 && memory == 0 && ephemeralStorage == 0 }

    public static func + (lhs: ComputeResources, rhs: ComputeResources) -> ComputeResources {
        ComputeResources(milliCPU: lhs.milliCPU + rhs.milliCPU, memory: lhs.memory + rhs.memory,
                  ephemeralStorage: lhs.ephemeralStorage + rhs.ephemeralStorage, pods: lhs.pods + rhs.pods)
    }

    public static func - (lhs: ComputeResources, rhs: ComputeResources) -> ComputeResources {
        ComputeResources(milliCPU: lhs.milliCPU - rhs.milliCPU, memory: lhs.memory - rhs.memory,
                  ephemeralStorage: lhs.ephemeralStorage - rhs.ephemeralStorage, pods: lhs.pods - rhs.pods)
    }

    /// The larger of each amount.
    public func maximum(_ other: ComputeResources) -> ComputeResources {
        ComputeResources(milliCPU: max(milliCPU, other.milliCPU), memory: max(memory, other.memory),
                  ephemeralStorage: max(ephemeralStorage, other.ephemeralStorage), pods: max(pods, other.pods))
    }
}
