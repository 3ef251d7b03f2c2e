import Foundation
import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// The cgroup limits of containers and pods: upstream's formulas (shares, quota, sums per QoS
/// class), the cgroupfs names, the `linux` section of `config.json` and the pod cgroup's files.
struct CgroupLimitsTests {
    static func resources(requests: JSONValue? = nil, limits: JSONValue? = nil) -> CoreV1.ResourceRequirements {
        var json: JSONValue = .emptyObject
        if let requests { json["requests"] = requests }
        if let limits { json["limits"] = limits }
        return json.typed()
    }

    static func pod(qosClass: String, containers: [JSONValue], initContainers: [JSONValue] = []) -> CoreV1.Pod {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "ns", "uid": "u-1"],
            "spec": ["containers": .array(containers), "initContainers": .array(initContainers)], "status": ["qosClass": .string(qosClass)],
        ]
        return pod.typed()
    }

    static func container(_ name: String, requests: JSONValue? = nil, limits: JSONValue? = nil) -> JSONValue {
        var json: JSONValue = ["name": .string(name), "image": "busybox"]
        if let requests { json[path: "resources", "requests"] = requests }
        if let limits { json[path: "resources", "limits"] = limits }
        return json
    }

    @Test func containerLimitsFollowUpstreamsFormulas() {
        let limited = LinuxContainerResources(Self.resources(requests: ["cpu": "100m"], limits: ["cpu": "250m", "memory": "32Mi"]))
        #expect(limited == LinuxContainerResources(cpuShares: 102, cpuPeriod: 100_000, cpuQuota: 25_000, memoryLimitInBytes: 33_554_432))
        #expect(limited.memorySwapLimitInBytes == 33_554_432)
        // Only a limit: the shares come from it.
        #expect(LinuxContainerResources(Self.resources(limits: ["cpu": "2"])).cpuShares == 2048)
        // Nothing: the fewest shares, no quota, no memory limit.
        #expect(LinuxContainerResources(nil) == LinuxContainerResources(cpuShares: 2))
        // A tiny request and limit: at least 2 shares and 1 ms of quota; a huge request at most 262144 shares.
        let tiny = LinuxContainerResources(Self.resources(requests: ["cpu": "1m"], limits: ["cpu": "1m"]))
        #expect(tiny.cpuShares == 2 && tiny.cpuQuota == 1000)
        #expect(LinuxContainerResources(Self.resources(requests: ["cpu": "300"])).cpuShares == 262_144)
    }

    @Test func oomScoreAdjustFollowsTheQOSClassAndTheMemoryRequest() throws {
        let gibibyte: Int64 = 1 << 30
        let adjust = { (qosClass: String, container: JSONValue) -> Int64 in
            let pod = Self.pod(qosClass: qosClass, containers: [container])
            let spec = try #require(pod.spec?.containers.first)
            return LinuxContainerResources.oomScoreAdjust(spec, pod: pod, memoryCapacity: 4 * gibibyte)
        }
        #expect(try adjust("Guaranteed", Self.container("a", requests: ["memory": "1Gi"], limits: ["memory": "1Gi"])) == -997)
        #expect(try adjust("BestEffort", Self.container("a")) == 1000)
        // A quarter of the node's memory: 1000 - 250.
        #expect(try adjust("Burstable", Self.container("a", requests: ["memory": "1Gi"])) == 750)
        // No memory request (only CPU): just below BestEffort; all of the node's memory: just above Guaranteed.
        #expect(try adjust("Burstable", Self.container("a", requests: ["cpu": "1"])) == 999)
        #expect(try adjust("Burstable", Self.container("a", requests: ["memory": "4Gi"])) == 3)
        // A node-critical pod's containers go last, whatever their class.
        var critical = Self.pod(qosClass: "BestEffort", containers: [Self.container("a")])
        critical.spec?.priorityClassName = "system-node-critical"
        let spec = try #require(critical.spec?.containers.first)
        #expect(LinuxContainerResources.oomScoreAdjust(spec, pod: critical, memoryCapacity: 4 * gibibyte) == -997)
    }

    @Test func podCgroupsAreNamedAfterTheirQOSClass() {
        #expect(PodCgroupConfig.name(uid: "u-1", qosClass: "Guaranteed") == "kubepods/podu-1")
        #expect(PodCgroupConfig.name(uid: "u-1", qosClass: "Burstable") == "kubepods/burstable/podu-1")
        #expect(PodCgroupConfig.name(uid: "u-1", qosClass: "BestEffort") == "kubepods/besteffort/podu-1")
    }

    @Test func guaranteedPodsGetTheSumsAndInitContainersTheMaximum() {
        let pod = Self.pod(
            qosClass: "Guaranteed",
            containers: [
                Self.container("a", requests: ["cpu": "100m", "memory": "32Mi"], limits: ["cpu": "100m", "memory": "32Mi"]),
                Self.container("b", requests: ["cpu": "200m", "memory": "64Mi"], limits: ["cpu": "200m", "memory": "64Mi"]),
            ],
            initContainers: [Self.container("setup", requests: ["cpu": "1", "memory": "16Mi"], limits: ["cpu": "1", "memory": "16Mi"])])
        let config = PodCgroupConfig(pod: pod, uid: "u-1", pidsLimit: 1024)
        #expect(config.name == "kubepods/podu-1")
        #expect(config.resources == LinuxContainerResources(cpuShares: 1024, cpuPeriod: 100_000, cpuQuota: 100_000, memoryLimitInBytes: 100_663_296)
            .withoutSwap)
        #expect(config.pidsLimit == 1024)
    }

    @Test func sidecarsCountBesideTheContainersAndTheInitContainersStartedAfterThem() {
        var sidecar = Self.container("proxy", requests: ["cpu": "50m", "memory": "16Mi"], limits: ["cpu": "50m", "memory": "16Mi"])
        sidecar[path: "restartPolicy"] = "Always"
        let pod = Self.pod(
            qosClass: "Guaranteed",
            containers: [Self.container("a", requests: ["cpu": "100m", "memory": "32Mi"], limits: ["cpu": "100m", "memory": "32Mi"])],
            initContainers: [sidecar, Self.container("setup", requests: ["cpu": "1", "memory": "16Mi"], limits: ["cpu": "1", "memory": "16Mi"])])
        let config = PodCgroupConfig(pod: pod, uid: "u-1", pidsLimit: nil)
        // CPU: setup (1) with the sidecar beside it (50m) beats a + proxy (150m); memory: a + proxy (48Mi).
        #expect(config.resources == LinuxContainerResources(cpuShares: 1075, cpuPeriod: 100_000, cpuQuota: 105_000, memoryLimitInBytes: 50_331_648)
            .withoutSwap)
    }

    @Test func burstablePodsAreLimitedOnlyWhereEveryContainerIs() {
        let pod = Self.pod(
            qosClass: "Burstable",
            containers: [Self.container("a", requests: ["cpu": "100m"], limits: ["memory": "32Mi"]), Self.container("b", limits: ["cpu": "500m"])])
        let config = PodCgroupConfig(pod: pod, uid: "u-1", pidsLimit: -1)
        #expect(config.name == "kubepods/burstable/podu-1")
        #expect(config.resources == LinuxContainerResources(cpuShares: 102).withoutSwap)
        #expect(config.pidsLimit == nil)
        let bestEffort = PodCgroupConfig(pod: Self.pod(qosClass: "BestEffort", containers: [Self.container("a")]), uid: "u-1", pidsLimit: nil)
        #expect(bestEffort.resources == LinuxContainerResources(cpuShares: 2).withoutSwap)
    }

    @Test func configJSONHoldsTheCgroupAndItsLimits() throws {
        var container = ContainerConfig(name: "app", image: "busybox")
        container.resources = LinuxContainerResources(Self.resources(requests: ["cpu": "100m"], limits: ["cpu": "100m", "memory": "32Mi"]))
        let limited = OCIBundleSpec(
            container: container, image: [:], hostname: "p", networkNamespacePath: "/var/run/netns/x",
            cgroupsPath: "/skiff/kubepods/podu-1/c1")
        let golden = try JSONValue(parsing: #"""
            {"cgroupsPath": "/skiff/kubepods/podu-1/c1",
             "resources": {"devices": [{"allow": false, "access": "rwm"}],
                           "cpu": {"shares": 102, "quota": 10000, "period": 100000},
                           "memory": {"limit": 33554432, "swap": 33554432}}}
            """#)
        #expect(limited.json[path: "linux", "cgroupsPath"] == golden["cgroupsPath"])
        #expect(limited.json[path: "linux", "resources"] == golden["resources"])
        // Without a pod cgroup: runc's default cgroup and no limits, as before.
        let plain = OCIBundleSpec(container: container, image: [:], hostname: "p", networkNamespacePath: "/var/run/netns/x")
        #expect(plain.json[path: "linux", "cgroupsPath"] == nil)
        #expect(plain.json[path: "linux", "resources"] == ["devices": [["allow": false, "access": "rwm"]]])
    }

    @Test func thePodCgroupGetsItsLimitsWritten() throws {
        let mount = "\(NSTemporaryDirectory())skiff-cgroups-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: mount) }
        let path = "\(mount)/%@/skiff/kubepods/podu-1"
        let files = [("cpu", "cpu.shares"), ("cpu", "cpu.cfs_period_us"), ("cpu", "cpu.cfs_quota_us"), ("memory", "memory.limit_in_bytes"),
                     ("pids", "pids.max")]
        for (controller, file) in files {
            // The kernel makes these files with the directory; here the test does.
            let directory = path.replacingOccurrences(of: "%@", with: controller)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: "\(directory)/\(file)", contents: Data("max\n".utf8))
        }
        let pod = Self.pod(qosClass: "Guaranteed", containers: [Self.container("a", requests: ["cpu": "100m", "memory": "32Mi"], limits: ["cpu": "100m", "memory": "32Mi"])])
        let cgroups = PodCgroups(root: "/skiff", mountPoint: mount, pidsLimit: 64)
        #expect(try cgroups.ensure(pod, uid: "u-1") == "/skiff/kubepods/podu-1")
        let written = files.map { controller, file in
            (try? String(contentsOfFile: "\(path.replacingOccurrences(of: "%@", with: controller))/\(file)", encoding: .utf8)) ?? ""
        }
        #expect(written == ["102", "100000", "10000", "33554432", "64"])
        #expect(cgroups.podUIDs() == ["u-1"])

        let missing = PodCgroups(root: "/skiff", mountPoint: "\(mount)/none")
        #expect(throws: CgroupError.self) { try missing.ensure(pod, uid: "u-1") }
    }

    @Test func aSandboxOfAPreviousRunIsHandedBackWithThePodsCgroup() async throws {
        let mount = "\(NSTemporaryDirectory())skiff-cgroups-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: mount) }
        let cpu = "\(mount)/cpu/skiff/kubepods/besteffort/podu-1"
        try FileManager.default.createDirectory(atPath: cpu, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(cpu)/cpu.shares", contents: Data("1024\n".utf8))
        for controller in ["memory", "pids"] { try FileManager.default.createDirectory(atPath: "\(mount)/\(controller)", withIntermediateDirectories: true) }
        let runtime = ProbedRuntime(clock: ManualClock())
        runtime.existing.withLock { $0 = [ExistingSandbox(id: "s-1", podUID: "u-1", podIP: "10.128.0.7", containers: [])] }
        var lifecycle = try PodLifecycle.onTestNode(runtime)
        lifecycle.cgroups = PodCgroups(root: "/skiff", mountPoint: mount)

        let record = await lifecycle.record(for: Self.pod(qosClass: "BestEffort", containers: [Self.container("a")]), uid: "u-1", nodeName: "skiff-node-0")
        #expect(record.sandboxID == "s-1" && record.podIP == "10.128.0.7")
        // The containers the runtime creates there from now on go below the pod's cgroup, as before the restart.
        let config = try #require(runtime.adopted.withLock { $0["s-1"] })
        #expect(config.cgroupParent == "/skiff/kubepods/besteffort/podu-1")
        #expect(config.podIP == "10.128.0.7" && config.podName == "p" && config.podNamespace == "ns" && config.pod != nil)
        #expect((try? String(contentsOfFile: "\(cpu)/cpu.shares", encoding: .utf8)) == "2")
    }
}

extension LinuxContainerResources {
    /// The same limits with no swap limit (as a pod's cgroup has them).
    fileprivate var withoutSwap: LinuxContainerResources {
        var copy = self
        copy.memorySwapLimitInBytes = 0
        return copy
    }
}
