import SkiffAPI

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
    /// Stops every container of the sandbox and the sandbox itself (`StopPodSandbox`).
    func stopPodSandbox(_ sandboxID: String) async throws
    /// Removes a stopped sandbox and its containers (`RemovePodSandbox`).
    func removePodSandbox(_ sandboxID: String) async throws

    /// Creates a container in a sandbox; returns its ID (`CreateContainer`).
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
}

/// What a sandbox is created from.
public struct PodSandboxConfig: Sendable, Hashable {
    public var podName: String
    public var podNamespace: String
    public var podUID: String
    /// The pod's IP, allocated by the kubelet from the node's pod CIDR.
    public var podIP: String

    public init(podName: String, podNamespace: String, podUID: String, podIP: String) {
        self.podName = podName
        self.podNamespace = podNamespace
        self.podUID = podUID
        self.podIP = podIP
    }
}

/// What a container is created from.
public struct ContainerConfig: Sendable, Hashable {
    public var name: String
    public var image: String
    public var command: [String]
    public var args: [String]
    /// How the simulated runtime runs the container (ignored by real runtimes).
    public var simulation: SimulatedBehaviour

    public init(name: String, image: String, command: [String] = [], args: [String] = [], simulation: SimulatedBehaviour = .init()) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.simulation = simulation
    }
}

/// How a simulated container behaves once started: it runs forever, or exits after
/// `runSeconds` with `exitCode`.
public struct SimulatedBehaviour: Sendable, Hashable {
    /// Seconds until the container exits on its own; nil: it runs until stopped.
    public var runSeconds: Double?
    /// The exit code when it exits on its own.
    public var exitCode: Int32

    public init(runSeconds: Double? = nil, exitCode: Int32 = 0) {
        self.runSeconds = runSeconds
        self.exitCode = exitCode
    }
}

/// A container's state as the runtime reports it.
public struct RuntimeContainerStatus: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case created
        case running
        case exited
    }

    public var id: String
    public var state: State
    /// The image as the runtime resolved it (`docker.io/library/nginx:latest`) and its digest reference.
    public var image: String
    public var imageID: String
    public var createdAt: Timestamp
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
    public var exitCode: Int32
    /// Why it exited (`Completed`, `Error`), once exited.
    public var reason: String

    public init(
        id: String, state: State, image: String, imageID: String, createdAt: Timestamp, startedAt: Timestamp? = nil,
        finishedAt: Timestamp? = nil, exitCode: Int32 = 0, reason: String = ""
    ) {
        self.id = id
        self.state = state
        self.image = image
        self.imageID = imageID
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.reason = reason
    }
}

/// The outcome of an exec.
public struct ExecResult: Sendable, Hashable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int32, stdout: String = "", stderr: String = "") {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// A runtime call that failed.
public struct RuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// No sandbox or container by that ID.
        case notFound
        /// The call does not fit the object's state (starting a running container).
        case invalidState
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
