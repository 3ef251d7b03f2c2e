/// What the kubelet needs of a container runtime, shaped after the CRI's `RuntimeService`: pod
/// sandboxes (the pod's network identity), containers inside them, their status, logs and exec.
///
/// `SimulatedRuntime` implements it without processes; a process runtime will implement the
/// same calls later. Identifiers are the runtime's (opaque to the kubelet).
public protocol ContainerRuntime: Sendable {
    /// The runtime's name and version, as the node reports it (`containerRuntimeVersion`).
    var version: String { get }

    /// Creates and starts a sandbox for a pod; returns its ID (`RunPodSandbox`).
    func runPodSandbox(_ config: PodSandboxConfig) async throws -> String
    /// The address the runtime's network plugin gave the sandbox (CRI's `PodSandboxStatus`), nil
    /// when the kubelet's allocated address is the pod's.
    func podSandboxIP(_ sandboxID: String) async -> String?
    /// Stops every container of the sandbox and the sandbox itself (`StopPodSandbox`).
    func stopPodSandbox(_ sandboxID: String) async throws
    /// Removes a stopped sandbox and its containers (`RemovePodSandbox`).
    func removePodSandbox(_ sandboxID: String) async throws

    /// Whether the node has the image (`ImageStatus`).
    func hasImage(_ image: String) async -> Bool
    /// Pulls the image for a container of the sandbox, with `credential` for its registry (nil:
    /// anonymously); returns its size in bytes (`PullImage`).
    func pullImage(_ image: String, credential: RegistryCredential?, sandboxID: String) async throws -> Int64
    /// Creates a container in a sandbox from its image, which the node has (the kubelet pulls it
    /// first as `imagePullPolicy` says); returns its ID (`CreateContainer`).
    func createContainer(in sandboxID: String, _ config: ContainerConfig) async throws -> String
    /// Starts a created container (`StartContainer`).
    func startContainer(_ containerID: String) async throws
    /// Stops a running container, waiting at most `timeout` for it to exit on its own (`StopContainer`).
    func stopContainer(_ containerID: String, timeout: Duration) async throws
    /// Removes a container (`RemoveContainer`).
    func removeContainer(_ containerID: String) async throws
    /// The container's state (`ContainerStatus`).
    func containerStatus(_ containerID: String) async throws -> RuntimeContainerStatus

    /// The container's log lines; with `follow`, the stream stays open until the container exits.
    func containerLogs(_ containerID: String, follow: Bool) async throws -> AsyncThrowingStream<String, any Error>
    /// Runs `command` in the container and returns its outcome (`ExecSync`).
    func exec(_ containerID: String, command: [String]) async throws -> ExecResult
    /// Runs `streams.command` in the container with the client's streams attached until it
    /// exits (`kubectl exec`); returns its exit code.
    func execStreaming(_ containerID: String, _ streams: ExecStreams) async throws -> Int32
    /// Streams the running container's output from now on until it exits (`kubectl attach`);
    /// returns its exit code.
    func attach(_ containerID: String, _ streams: ExecStreams) async throws -> Int32
    /// Opens a connection to `port` inside the pod's network namespace with the runtime's own
    /// port-forward (CRI's `PortForward`); nil when it has none: the kubelet connects to the pod's IP.
    func portForward(podUID: String, port: Int) async throws -> PodPortConnection?

    /// The sandboxes the runtime holds, with their containers; a runtime with state of its own
    /// reports what a previous run of the kubelet left (the kubelet adopts them).
    func existingSandboxes() async -> [ExistingSandbox]
    /// Hands the runtime the config of a sandbox a previous run of the kubelet made (one of
    /// `existingSandboxes()`), as the kubelet computes it for the pod now (its cgroup included),
    /// for the containers it creates there later; upstream's kubelet, too, sends the pod's
    /// sandbox config with every `CreateContainer`.
    func adoptSandbox(_ sandboxID: String, config: PodSandboxConfig) async

    /// How often the kubelet re-reads the states of running containers, for runtimes whose
    /// containers change on their own (upstream's PLEG relist); nil when only the kubelet changes them.
    var relistPeriod: Duration? { get }
    /// Whether the containers' processes are real, so that the kubelet runs their probes and
    /// lifecycle hooks; a runtime without processes reports a container ready once its readiness
    /// probe's initial delay passed, and its containers have no hooks to run.
    var runsProcesses: Bool { get }
    /// Where the kubelet prepares the pods' volumes for this runtime's containers
    /// (`<directory>/<pod uid>/volumes/…`); nil when its containers mount none (no processes).
    var podsDirectory: String? { get }
    /// The cgroup root below which the kubelet makes the pods' cgroups for this runtime's
    /// containers (`<root>/kubepods/…`, upstream's `--cgroup-root` with the cgroupfs driver);
    /// nil when its containers get none (no processes).
    var cgroupRoot: String? { get }
    /// Stops and removes everything the runtime runs (the kubelet is stopping).
    func shutdown() async
    /// The log files of a pod's container, oldest first (one per run, kept after the pod finishes).
    func logFiles(podNamespace: String, podName: String, podUID: String, container: String) async -> [String]
    /// A running container's CPU time and working set (`ContainerStats`); nil when unknown.
    func containerUsage(_ containerID: String) async -> ContainerUsage?
}

extension ContainerRuntime {
    /// Every image is present (a runtime without images).
    public func hasImage(_ image: String) async -> Bool { true }
    /// Nothing to pull.
    public func pullImage(_ image: String, credential: RegistryCredential?, sandboxID: String) async throws -> Int64 { 0 }
    /// The kubelet connects to the pod's IP.
    public func portForward(podUID: String, port: Int) async throws -> PodPortConnection? { nil }
    /// The kubelet allocates pod addresses.
    public func podSandboxIP(_ sandboxID: String) async -> String? { nil }
    /// Containers change only through the kubelet's calls.
    public var relistPeriod: Duration? { nil }
    /// No processes to probe or to run hooks in.
    public var runsProcesses: Bool { false }
    /// Nothing outlives the kubelet.
    public func existingSandboxes() async -> [ExistingSandbox] { [] }
    /// The runtime keeps its sandboxes' configs itself (or has none to adopt).
    public func adoptSandbox(_ sandboxID: String, config: PodSandboxConfig) async {}
    /// No volumes.
    public var podsDirectory: String? { nil }
    /// No cgroups.
    public var cgroupRoot: String? { nil }
    /// Nothing to stop.
    public func shutdown() async {}
    /// No log files.
    public func logFiles(podNamespace: String, podName: String, podUID: String, container: String) async -> [String] { [] }
    /// No figures.
    public func containerUsage(_ containerID: String) async -> ContainerUsage? { nil }
}
