import SkiffAPI
import SkiffModels

/// Where a pod's cgroup goes and what limits it gets, as upstream's kubelet decides them
/// (`ResourceConfigForPod`, the cgroupfs driver's names): `kubepods/pod<uid>` for a Guaranteed
/// pod, `kubepods/burstable/pod<uid>` and `kubepods/besteffort/pod<uid>` for the others;
/// `cpu.shares` from the pod's CPU requests (2 for BestEffort), a CPU quota when every
/// container has a CPU limit, a memory limit when every container has a memory limit (sums,
/// or the largest init container's when larger), and the kubelet's pod pids limit.
struct PodCgroupConfig: Sendable, Hashable {
    /// The cgroup's path below the kubelet's cgroup root (`kubepods/burstable/pod<uid>`).
    var name: String
    /// CPU shares, quota and period, and the memory limit (`memorySwapLimitInBytes` is not used
    /// for a pod: upstream sets swap per container only).
    var resources: LinuxContainerResources
    /// `pids.max` (nil: not limited).
    var pidsLimit: Int64?

    /// The cgroup of `pod` (its UID `uid`); `pidsLimit` is the kubelet's `podPidsLimit`.
    init(pod: CoreV1.Pod, uid: String, pidsLimit: Int64?) {
        let qosClass = pod.status?.qosClass ?? "Burstable"
        name = Self.name(uid: uid, qosClass: qosClass)
        self.pidsLimit = pidsLimit.flatMap { $0 > 0 ? $0 : nil }
        let containers = (pod.spec?.containers ?? []).map(\.resources)
        let initContainers = (pod.spec?.initContainers ?? []).map(\.resources)
        func total(_ name: String, _ list: (CoreV1.ResourceRequirements?) -> [String: Quantity]?, milli: Bool) -> Int64 {
            let amount = { (resources: CoreV1.ResourceRequirements?) -> Int64 in
                let quantity = LinuxContainerResources.amount(name, in: list(resources))
                return (milli ? quantity?.milliValue : quantity?.value) ?? 0
            }
            return max(containers.map(amount).reduce(0, +), initContainers.map(amount).max() ?? 0)
        }
        func declared(_ name: String) -> Bool {
            !containers.isEmpty && containers.allSatisfy { LinuxContainerResources.amount(name, in: $0?.limits) != nil }
        }
        let cpuRequests = total("cpu", { $0?.requests }, milli: true)
        let cpuLimits = total("cpu", { $0?.limits }, milli: true)
        let memoryLimits = total("memory", { $0?.limits }, milli: false)
        var resources = LinuxContainerResources()
        if qosClass != "BestEffort" {
            resources.cpuShares = LinuxContainerResources.shares(milliCPU: cpuRequests)
            if qosClass == "Guaranteed" || declared("cpu") {
                resources.cpuQuota = LinuxContainerResources.quota(milliCPU: cpuLimits)
                resources.cpuPeriod = resources.cpuQuota == 0 ? 0 : LinuxContainerResources.cpuPeriod
            }
            if qosClass == "Guaranteed" || declared("memory") { resources.memoryLimitInBytes = memoryLimits }
        }
        resources.memorySwapLimitInBytes = 0
        self.resources = resources
    }

    /// The cgroupfs driver's name of a pod's cgroup in its QoS class's cgroup.
    static func name(uid: String, qosClass: String) -> String {
        switch qosClass {
        case "Guaranteed": "kubepods/pod\(uid)"
        case "BestEffort": "kubepods/besteffort/pod\(uid)"
        default: "kubepods/burstable/pod\(uid)"
        }
    }

    /// The QoS classes' cgroups, below the cgroup root, where pod cgroups are made.
    static let qosParents = ["kubepods", "kubepods/burstable", "kubepods/besteffort"]
}
