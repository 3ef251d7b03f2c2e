import SkiffDNS
import SkiffKubelet
import SkiffModels
import Testing

@testable import SkiffCRI

/// A pod's CRI sandbox config as upstream's kubelet generates it (kuberuntime_sandbox.go).
struct CRIPodSandboxMappingTests {
    static func pod(_ edit: (inout CoreV1.PodSpec) -> Void = { _ in }) -> CoreV1.Pod {
        var web = CoreV1.Container(name: "web")
        web.ports = [CoreV1.ContainerPort(containerPort: 80, hostPort: 8080, protocol: "TCP"), CoreV1.ContainerPort(containerPort: 53, protocol: "UDP")]
        var spec = CoreV1.PodSpec(containers: [web])
        edit(&spec)
        return CoreV1.Pod(metadata: .init(name: "p", namespace: "demo", labels: ["app": "web"], annotations: ["note": "x"]), spec: spec)
    }

    static func sandbox(_ pod: CoreV1.Pod) -> PodSandboxConfig {
        var config = PodSandboxConfig(podName: "p", podNamespace: "demo", podUID: "u1", podIP: "10.244.0.5")
        config.dns = ResolvConf(nameservers: ["10.96.0.10"], searches: ["demo.svc.cluster.local"], options: ["ndots:5"])
        config.pod = pod
        return config
    }

    @Test func metadataLabelsAnnotationsAndLogDirectory() {
        let config = Runtime_V1_PodSandboxConfig(Self.sandbox(Self.pod()), logDirectory: "/var/log/pods/demo_p_u1")
        #expect(config.metadata.name == "p")
        #expect(config.metadata.namespace == "demo")
        #expect(config.metadata.uid == "u1")
        #expect(config.metadata.attempt == 0)
        #expect(config.hostname == "p")
        #expect(config.logDirectory == "/var/log/pods/demo_p_u1")
        #expect(config.labels == [
            "app": "web", "io.kubernetes.pod.name": "p", "io.kubernetes.pod.namespace": "demo", "io.kubernetes.pod.uid": "u1",
        ])
        #expect(config.annotations == ["note": "x"])
    }

    @Test func dnsAndPortMappings() {
        let config = Runtime_V1_PodSandboxConfig(Self.sandbox(Self.pod()), logDirectory: "/logs")
        #expect(config.dnsConfig.servers == ["10.96.0.10"])
        #expect(config.dnsConfig.searches == ["demo.svc.cluster.local"])
        #expect(config.dnsConfig.options == ["ndots:5"])
        #expect(config.portMappings.map(\.containerPort) == [80, 53])
        #expect(config.portMappings.map(\.hostPort) == [8080, 0])
        #expect(config.portMappings.map(\.protocol) == [.tcp, .udp])
    }

    @Test func thePodsCgroupIsTheSandboxsCgroupParent() {
        var sandbox = Self.sandbox(Self.pod())
        #expect(Runtime_V1_PodSandboxConfig(sandbox, logDirectory: "/logs").linux.cgroupParent == "")
        sandbox.cgroupParent = "/skiff/kubepods/burstable/podu1"
        #expect(Runtime_V1_PodSandboxConfig(sandbox, logDirectory: "/logs").linux.cgroupParent == "/skiff/kubepods/burstable/podu1")
    }

    @Test func podNamespacesByDefaultAndTheNodesWhenAsked() {
        let own = Runtime_V1_PodSandboxConfig(Self.sandbox(Self.pod()), logDirectory: "/logs").linux.securityContext.namespaceOptions
        #expect(own.network == .pod)
        #expect(own.ipc == .pod)
        #expect(own.pid == .container)
        let host = Runtime_V1_PodSandboxConfig(
            Self.sandbox(Self.pod { $0.hostNetwork = true; $0.hostIPC = true; $0.hostPID = true }), logDirectory: "/logs")
        #expect(host.linux.securityContext.namespaceOptions.network == .node)
        #expect(host.linux.securityContext.namespaceOptions.ipc == .node)
        #expect(host.linux.securityContext.namespaceOptions.pid == .node)
        let shared = Runtime_V1_PodSandboxConfig(Self.sandbox(Self.pod { $0.shareProcessNamespace = true }), logDirectory: "/logs")
        #expect(shared.linux.securityContext.namespaceOptions.pid == .pod)
    }

    @Test func podSecurityContextAndSysctls() {
        let pod = Self.pod {
            $0.securityContext = CoreV1.PodSecurityContext(
                runAsGroup: 3000, runAsUser: 1000, supplementalGroups: [4000], sysctls: [CoreV1.Sysctl(name: "net.ipv4.ip_unprivileged_port_start", value: "0")])
            $0.containers[0].securityContext = CoreV1.SecurityContext(privileged: true)
        }
        let linux = Runtime_V1_PodSandboxConfig(Self.sandbox(pod), logDirectory: "/logs").linux
        #expect(linux.securityContext.runAsUser.value == 1000)
        #expect(linux.securityContext.runAsGroup.value == 3000)
        #expect(linux.securityContext.supplementalGroups == [4000])
        #expect(linux.securityContext.privileged)
        #expect(linux.sysctls == ["net.ipv4.ip_unprivileged_port_start": "0"])
    }

    @Test func aSandboxWithoutItsPodStillNamesIt() {
        let config = Runtime_V1_PodSandboxConfig(PodSandboxConfig(podName: "p", podNamespace: "demo", podUID: "u1", podIP: ""), logDirectory: "/logs")
        #expect(config.labels == ["io.kubernetes.pod.name": "p", "io.kubernetes.pod.namespace": "demo", "io.kubernetes.pod.uid": "u1"])
        #expect(!config.hasDnsConfig)
        #expect(config.portMappings.isEmpty)
    }
}
