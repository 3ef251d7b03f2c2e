import SkiffAPI
import SkiffKubelet
import SkiffModels
import Testing

@testable import SkiffCRI

/// A container's CRI config as upstream's kubelet generates it (kuberuntime_container.go), and
/// the daemon's status as the kubelet reads it.
struct CRIContainerMappingTests {
    static func container(_ edit: (inout CoreV1.Container) -> Void = { _ in }) -> ContainerConfig {
        var spec = CoreV1.Container(name: "app")
        edit(&spec)
        var config = ContainerConfig(name: "app", image: "busybox", command: ["sh", "-c"], args: ["echo hi"])
        config.env = [.init(name: "A", value: "1")]
        config.workingDir = "/work"
        config.mounts = [.init(containerPath: "/data", hostPath: "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/data", readOnly: true)]
        config.tty = true
        config.stdin = true
        config.stdinOnce = true
        config.spec = spec
        return config
    }

    static var sandbox: PodSandboxConfig {
        var config = PodSandboxConfig(podName: "p", podNamespace: "demo", podUID: "u1", podIP: "10.244.0.5")
        var spec = CoreV1.PodSpec(containers: [])
        spec.terminationGracePeriodSeconds = 5
        spec.securityContext = CoreV1.PodSecurityContext(runAsGroup: 3000, runAsUser: 1000, supplementalGroups: [4000])
        config.pod = CoreV1.Pod(metadata: .init(name: "p", namespace: "demo"), spec: spec)
        return config
    }

    @Test func specFieldsLabelsAndLogPath() {
        let config = Runtime_V1_ContainerConfig(Self.container(), sandbox: Self.sandbox, imageRef: "sha256:abc", attempt: 2)
        #expect(config.metadata.name == "app")
        #expect(config.metadata.attempt == 2)
        #expect(config.image.image == "sha256:abc")
        #expect(config.image.userSpecifiedImage == "busybox")
        #expect(config.command == ["sh", "-c"])
        #expect(config.args == ["echo hi"])
        #expect(config.workingDir == "/work")
        #expect(config.envs.map { "\($0.key)=\($0.value)" } == ["A=1"])
        #expect(config.mounts.map(\.containerPath) == ["/data"])
        #expect(config.mounts.map(\.readonly) == [true])
        #expect(config.logPath == "app/2.log")
        #expect(config.tty && config.stdin && config.stdinOnce)
        #expect(config.labels == [
            "io.kubernetes.container.name": "app", "io.kubernetes.pod.name": "p", "io.kubernetes.pod.namespace": "demo",
            "io.kubernetes.pod.uid": "u1",
        ])
        #expect(config.annotations["io.kubernetes.container.restartCount"] == "2")
        #expect(config.annotations["io.kubernetes.container.terminationMessagePath"] == "/dev/termination-log")
        #expect(config.annotations["io.kubernetes.pod.terminationGracePeriod"] == "5")
    }

    @Test func resourcesAreTheKubeletsComputedLimits() {
        var container = Self.container()
        container.resources = LinuxContainerResources(cpuShares: 102, cpuPeriod: 100_000, cpuQuota: 25_000, memoryLimitInBytes: 33_554_432)
        container.resources.oomScoreAdj = 750
        let resources = Runtime_V1_ContainerConfig(container, sandbox: Self.sandbox, imageRef: "x", attempt: 0).linux.resources
        #expect(resources.cpuShares == 102)
        #expect(resources.cpuPeriod == 100_000)
        #expect(resources.cpuQuota == 25_000)
        #expect(resources.memoryLimitInBytes == 33_554_432)
        #expect(resources.memorySwapLimitInBytes == 33_554_432)
        #expect(resources.oomScoreAdj == 750)
    }

    @Test func securityContextOverThePods() {
        let config = Runtime_V1_ContainerConfig(
            Self.container {
                $0.securityContext = CoreV1.SecurityContext(
                    allowPrivilegeEscalation: false, capabilities: .init(add: ["NET_ADMIN"], drop: ["ALL"]), readOnlyRootFilesystem: true,
                    runAsUser: 2000)
            }, sandbox: Self.sandbox, imageRef: "sha256:abc", attempt: 0)
        let context = config.linux.securityContext
        #expect(context.runAsUser.value == 2000)
        #expect(context.runAsGroup.value == 3000)
        #expect(context.supplementalGroups == [4000])
        #expect(context.readonlyRootfs)
        #expect(context.noNewPrivs)
        #expect(!context.privileged)
        #expect(context.capabilities.addCapabilities == ["NET_ADMIN"])
        #expect(context.capabilities.dropCapabilities == ["ALL"])
        #expect(context.namespaceOptions.network == .pod)
        #expect(context.maskedPaths.contains("/proc/kcore"))
        #expect(context.readonlyPaths.contains("/proc/sys"))
        let unmasked = Runtime_V1_ContainerConfig(
            Self.container { $0.securityContext = CoreV1.SecurityContext(procMount: "Unmasked") }, sandbox: Self.sandbox, imageRef: "x", attempt: 0)
        #expect(unmasked.linux.securityContext.maskedPaths.isEmpty)
        #expect(unmasked.linux.securityContext.readonlyPaths.isEmpty)
    }

    @Test func statusesReadAsTheKubeletReportsThem() {
        var status = Runtime_V1_ContainerStatus()
        status.id = "c1"
        status.state = .containerExited
        status.createdAt = 1_700_000_000_000_000_000
        status.startedAt = 1_700_000_001_500_000_000
        status.finishedAt = 1_700_000_002_000_000_000
        status.exitCode = 1
        status.image.image = "docker.io/library/busybox:latest"
        status.imageRef = "docker.io/library/busybox@sha256:abc"
        let exited = RuntimeContainerStatus(status)
        #expect(exited.state == .exited)
        #expect(exited.reason == "Error")
        #expect(exited.exitCode == 1)
        #expect(exited.startedAt == Timestamp(seconds: 1_700_000_001, nanoseconds: 500_000_000))
        #expect(exited.image == "docker.io/library/busybox:latest")
        #expect(exited.imageID == "docker.io/library/busybox@sha256:abc")
        status.reason = "OOMKilled"
        #expect(RuntimeContainerStatus(status).reason == "OOMKilled")
        status.state = .containerCreated
        status.startedAt = 0
        let created = RuntimeContainerStatus(status)
        #expect(created.state == .created)
        #expect(created.startedAt == nil)
        #expect(created.reason == "")
    }

    @Test func endpointsAreUnixSockets() throws {
        #expect(try CRITransport.socketPath("unix:///run/containerd/containerd.sock") == "/run/containerd/containerd.sock")
        #expect(try CRITransport.socketPath("/run/crio/crio.sock") == "/run/crio/crio.sock")
        #expect(throws: (any Error).self) { try CRITransport.socketPath("tcp://127.0.0.1:1234") }
    }
}
