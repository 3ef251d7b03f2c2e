import SkiffAPI
import SkiffModels

/// The CPU and memory limits of one container as the kubelet hands them to a runtime: the
/// fields of CRI's `LinuxContainerResources` that Skiff sets, computed from the container's
/// `resources` as upstream's kubelet does (`calculateLinuxResources`, on cgroup v1 without swap).
/// A zero means "not set", as in the CRI message.
public struct LinuxContainerResources: Sendable, Hashable {
    /// The CFS period with a CPU limit: 100 ms, in microseconds (upstream's `quotaPeriod`).
    public static let cpuPeriod: Int64 = 100_000
    /// The fewest `cpu.shares` a cgroup gets (upstream's `MinShares`).
    public static let minShares: Int64 = 2
    /// The most `cpu.shares` a cgroup gets (upstream's `MaxShares`).
    public static let maxShares: Int64 = 262_144
    /// The shortest quota a CPU limit gives, 1 ms (upstream's `MinQuotaPeriod`).
    public static let minQuota: Int64 = 1000

    /// `cpu.shares`: the CPU request's weight.
    public var cpuShares: Int64
    /// `cpu.cfs_period_us` (0: no CPU limit).
    public var cpuPeriod: Int64
    /// `cpu.cfs_quota_us` (0: no CPU limit).
    public var cpuQuota: Int64
    /// `memory.limit_in_bytes` (0: no memory limit).
    public var memoryLimitInBytes: Int64
    /// `memory.memsw.limit_in_bytes`: the memory limit again, so that no swap is used (0: none).
    public var memorySwapLimitInBytes: Int64
    /// The `oom_score_adj` of the container's processes (see `oomScoreAdjust`); nil: the runtime's.
    public var oomScoreAdj: Int64?

    /// Limits as given.
    public init(cpuShares: Int64 = minShares, cpuPeriod: Int64 = 0, cpuQuota: Int64 = 0, memoryLimitInBytes: Int64 = 0) {
        self.cpuShares = cpuShares
        self.cpuPeriod = cpuPeriod
        self.cpuQuota = cpuQuota
        self.memoryLimitInBytes = memoryLimitInBytes
        memorySwapLimitInBytes = memoryLimitInBytes
    }

    /// The limits of a container whose spec has `resources`: shares from the CPU request (the
    /// limit when only that is given), quota and period from the CPU limit, the memory limit.
    public init(_ resources: CoreV1.ResourceRequirements?) {
        let request = Self.amount("cpu", in: resources?.requests)?.milliValue ?? 0
        let limit = Self.amount("cpu", in: resources?.limits)?.milliValue ?? 0
        let memory = Self.amount("memory", in: resources?.limits)?.value ?? 0
        self.init(
            cpuShares: Self.shares(milliCPU: request == 0 ? limit : request), cpuPeriod: limit == 0 ? 0 : Self.cpuPeriod,
            cpuQuota: Self.quota(milliCPU: limit), memoryLimitInBytes: memory)
    }

    /// upstream's `GetContainerOOMScoreAdjust`: -997 for a Guaranteed or node-critical
    /// (`system-node-critical`) pod's containers, 1000 for a BestEffort pod's; a Burstable pod's
    /// container gets 1000 less its memory request in thousandths of the node's `memoryCapacity`,
    /// at least 3 (above any Guaranteed container) and at most 999 (below BestEffort).
    public static func oomScoreAdjust(_ container: CoreV1.Container, pod: CoreV1.Pod, memoryCapacity: Int64) -> Int64 {
        if pod.spec?.priorityClassName == "system-node-critical" { return guaranteedOOMScoreAdj }
        switch pod.status?.qosClass {
        case "Guaranteed": return guaranteedOOMScoreAdj
        case "BestEffort": return 1000
        default:
            let request = amount("memory", in: container.resources?.requests)?.value ?? 0
            let adjust = memoryCapacity > 0 ? 1000 - 1000 * request / memoryCapacity : 1000
            return min(max(adjust, 1000 + guaranteedOOMScoreAdj), 999)
        }
    }

    /// upstream's `guaranteedOOMScoreAdj`.
    static let guaranteedOOMScoreAdj: Int64 = -997

    /// upstream's `MilliCPUToShares`: 1024 shares a CPU, at least 2, at most 262144.
    static func shares(milliCPU: Int64) -> Int64 {
        min(max(milliCPU * 1024 / 1000, minShares), maxShares)
    }

    /// upstream's `MilliCPUToQuota` for the 100 ms period: 0 without a limit, else at least 1 ms.
    static func quota(milliCPU: Int64) -> Int64 {
        milliCPU == 0 ? 0 : max(milliCPU * cpuPeriod / 1000, minQuota)
    }

    /// A resource list's amount of `name`, parsed.
    static func amount(_ name: String, in list: [String: Quantity]?) -> ResourceQuantity? {
        list?[name].flatMap { ResourceQuantity(.string($0.string)) }
    }
}
