import SkiffKubelet
import SkiffModels

extension Runtime_V1_ContainerConfig {
    /// A container as upstream's kubelet describes it (kuberuntime_container.go): metadata with
    /// the run's attempt, the pulled image, command, args, working directory, environment, the
    /// kubelet-prepared volumes, labels and annotations, the log file relative to the sandbox's
    /// log directory, stdin/tty, and the Linux security context.
    init(_ config: ContainerConfig, sandbox: PodSandboxConfig, imageRef: String, attempt: Int) {
        self.init()
        metadata = .with {
            $0.name = config.name
            $0.attempt = UInt32(attempt)
        }
        image = .with {
            $0.image = imageRef
            $0.userSpecifiedImage = config.image
        }
        command = config.command
        args = config.args
        workingDir = config.workingDir
        envs = config.env.map { variable in .with { $0.key = variable.name; $0.value = variable.value } }
        mounts = config.mounts.map { mount in
            .with {
                $0.containerPath = mount.containerPath
                $0.hostPath = mount.hostPath
                $0.readonly = mount.readOnly
            }
        }
        labels = CRILabels.pod(sandbox).merging([CRILabels.containerName: config.name], uniquingKeysWith: { $1 })
        annotations = CRILabels.containerAnnotations(config.spec, pod: sandbox.pod, attempt: attempt)
        logPath = PodLogDirectory.relativeLogPath(container: config.name, attempt: attempt)
        stdin = config.stdin
        stdinOnce = config.stdinOnce
        tty = config.tty
        linux = .with {
            $0.resources = Runtime_V1_LinuxContainerResources(config.resources)
            $0.securityContext = Runtime_V1_LinuxContainerSecurityContext(config.spec, pod: sandbox.pod?.spec)
        }
    }
}

extension Runtime_V1_LinuxContainerResources {
    /// The limits the kubelet computed (`LinuxContainerResources`, as for the OCI runtime) in
    /// CRI's message: the daemon writes them to the container's cgroup and `oom_score_adj`.
    init(_ resources: LinuxContainerResources) {
        self.init()
        cpuShares = resources.cpuShares
        cpuPeriod = resources.cpuPeriod
        cpuQuota = resources.cpuQuota
        memoryLimitInBytes = resources.memoryLimitInBytes
        memorySwapLimitInBytes = resources.memorySwapLimitInBytes
        oomScoreAdj = resources.oomScoreAdj ?? 0
    }
}

extension Runtime_V1_LinuxContainerSecurityContext {
    /// Upstream's paths hidden from a container (pkg/securitycontext: the Docker defaults),
    /// unless its `procMount` is `Unmasked`.
    static let defaultMaskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]
    /// Upstream's paths a container sees read-only, unless its `procMount` is `Unmasked`.
    static let defaultReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// The container's security context over the pod's (the container's `runAsUser` and
    /// `runAsGroup` win), with the pod's namespaces and supplemental groups.
    init(_ container: CoreV1.Container?, pod: CoreV1.PodSpec?) {
        self.init()
        let context = container?.securityContext
        namespaceOptions = Runtime_V1_NamespaceOption(pod)
        if let user = context?.runAsUser ?? pod?.securityContext?.runAsUser { runAsUser = .with { $0.value = user } }
        if let group = context?.runAsGroup ?? pod?.securityContext?.runAsGroup { runAsGroup = .with { $0.value = group } }
        supplementalGroups = pod?.securityContext?.supplementalGroups ?? []
        privileged = context?.privileged ?? false
        readonlyRootfs = context?.readOnlyRootFilesystem ?? false
        noNewPrivs = context?.allowPrivilegeEscalation == false
        if let capabilities = context?.capabilities {
            self.capabilities = .with {
                $0.addCapabilities = capabilities.add ?? []
                $0.dropCapabilities = capabilities.drop ?? []
            }
        }
        if context?.procMount != "Unmasked" {
            maskedPaths = Self.defaultMaskedPaths
            readonlyPaths = Self.defaultReadonlyPaths
        }
    }
}

extension CRILabels {
    /// The annotations upstream's kubelet puts on a container: its restart count, termination
    /// message settings and the pod's grace period.
    static func containerAnnotations(_ container: CoreV1.Container?, pod: CoreV1.Pod?, attempt: Int) -> [String: String] {
        var annotations = [containerRestartCount: String(attempt)]
        annotations[containerTerminationMessagePath] = container?.terminationMessagePath ?? "/dev/termination-log"
        annotations[containerTerminationMessagePolicy] = container?.terminationMessagePolicy ?? "File"
        annotations[podTerminationGracePeriod] = String(pod?.spec?.terminationGracePeriodSeconds ?? 30)
        return annotations
    }
}
