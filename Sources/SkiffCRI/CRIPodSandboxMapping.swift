import SkiffDNS
import SkiffKubelet
import SkiffModels

extension Runtime_V1_PodSandboxConfig {
    /// A pod's sandbox as upstream's kubelet describes it (kuberuntime_sandbox.go): metadata,
    /// hostname, log directory, DNS, the containers' ports, the pod's labels and annotations with
    /// the kubelet's own labels, and the pod's cgroup, Linux namespaces and security context.
    init(_ config: PodSandboxConfig, logDirectory: String) {
        self.init()
        metadata = .with {
            $0.name = config.podName
            $0.namespace = config.podNamespace
            $0.uid = config.podUID
            $0.attempt = 0
        }
        hostname = config.hostname ?? config.podName
        self.logDirectory = logDirectory
        if let dns = config.dns {
            dnsConfig = .with {
                $0.servers = dns.nameservers
                $0.searches = dns.searches
                $0.options = dns.options
            }
        }
        let pod = config.pod
        let spec = pod?.spec
        portMappings = (spec?.containers ?? []).flatMap { $0.ports ?? [] }.map(Runtime_V1_PortMapping.init)
        labels = (pod?.metadata?.labels ?? [:]).merging(CRILabels.pod(config), uniquingKeysWith: { $1 })
        annotations = pod?.metadata?.annotations ?? [:]
        linux = .with { linux in
            // The pod's cgroup the kubelet made (cgroupfs syntax); the daemon puts the sandbox's
            // and the containers' cgroups below it.
            linux.cgroupParent = config.cgroupParent ?? ""
            linux.sysctls = Dictionary((spec?.securityContext?.sysctls ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            linux.securityContext = .with {
                $0.namespaceOptions = Runtime_V1_NamespaceOption(spec)
                let context = spec?.securityContext
                if let user = context?.runAsUser { $0.runAsUser = .with { $0.value = user } }
                if let group = context?.runAsGroup { $0.runAsGroup = .with { $0.value = group } }
                $0.supplementalGroups = context?.supplementalGroups ?? []
                $0.privileged = (spec?.containers ?? []).contains { $0.securityContext?.privileged == true }
            }
        }
    }
}

extension Runtime_V1_PortMapping {
    /// A container port (`hostPort` 0 when it publishes none; TCP unless it says UDP or SCTP).
    init(_ port: CoreV1.ContainerPort) {
        self.init()
        containerPort = port.containerPort
        hostPort = port.hostPort ?? 0
        hostIp = port.hostIP ?? ""
        switch port.protocol {
        case "UDP": `protocol` = .udp
        case "SCTP": `protocol` = .sctp
        default: `protocol` = .tcp
        }
    }
}

extension Runtime_V1_NamespaceOption {
    /// The pod's namespaces: the node's network, PID or IPC namespace when the spec asks for it;
    /// else the pod's own network and IPC, and a PID namespace per container unless the pod
    /// shares one (`shareProcessNamespace`).
    init(_ spec: CoreV1.PodSpec?) {
        self.init()
        network = spec?.hostNetwork == true ? .node : .pod
        ipc = spec?.hostIPC == true ? .node : .pod
        pid = spec?.hostPID == true ? .node : spec?.shareProcessNamespace == true ? .pod : .container
    }
}

extension CRILabels {
    /// The labels naming the pod.
    static func pod(_ config: PodSandboxConfig) -> [String: String] {
        [podName: config.podName, podNamespace: config.podNamespace, podUID: config.podUID]
    }
}
