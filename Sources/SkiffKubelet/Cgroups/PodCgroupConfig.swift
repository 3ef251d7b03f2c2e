import Foundation
import SkiffAPI
import SkiffComponentHelpers
import SkiffModels

/// Where a pod's cgroup goes and what limits it gets, as upstream's kubelet decides them
/// (`ResourceConfigForPod`, the cgroupfs driver's names): `kubepods/pod<uid>` for a Guaranteed
/// pod, `kubepods/burstable/pod<uid>` and `kubepods/besteffort/pod<uid>` for the others;
/// `cpu.shares` from the pod's CPU requests (2 for BestEffort), a CPU quota when every
/// container has a CPU limit, a memory limit when every container has a memory limit (the
/// pod's totals as upstream's `PodRequests`/`PodLimits` count them: containers and sidecars
/// summed, or an init container with the sidecars started before it when larger, plus the
/// overhead), and the kubelet's pod pids limit.
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
        func declared(_ name: String) -> Bool {
            !containers.isEmpty && containers.allSatisfy { LinuxContainerResources.amount(name, in: $0?.limits) != nil }
        }
        // Encoding a decoded pod cannot fail; `.null` would only mean no totals.
        let json = (try? JSONValue(parsing: Array(JSONEncoder().encode(pod)))) ?? .null
        let requests = PodResourceTotals.totals(of: json, "requests").amounts
        let limits = PodResourceTotals.totals(of: json, "limits").amounts
        let cpuRequests = requests["cpu"]?.milliValue ?? 0
        let cpuLimits = limits["cpu"]?.milliValue ?? 0
        let memoryLimits = limits["memory"]?.value ?? 0
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
