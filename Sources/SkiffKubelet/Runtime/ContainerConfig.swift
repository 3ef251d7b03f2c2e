import SkiffModels

/// What a container is created from.
public struct ContainerConfig: Sendable, Equatable {
    /// One environment variable (`env`, values already resolved).
    public struct EnvVar: Sendable, Hashable {
        public var name: String
        public var value: String

        /// A variable `name=value`.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A host file or directory bound into the container (a prepared pod volume).
    public struct Mount: Sendable, Hashable {
        /// The path inside the container (`volumeMounts[].mountPath`).
        public var containerPath: String
        /// The file or directory on the host.
        public var hostPath: String
        /// Whether the container may not write to it.
        public var readOnly: Bool

        /// A bind of `hostPath` at `containerPath`.
        public init(containerPath: String, hostPath: String, readOnly: Bool = false) {
            self.containerPath = containerPath
            self.hostPath = hostPath
            self.readOnly = readOnly
        }
    }

    /// The container's name in the pod.
    public var name: String
    /// The image as the pod spec names it.
    public var image: String
    /// The entrypoint (`command`), empty for the image's.
    public var command: [String]
    /// The arguments (`args`).
    public var args: [String]
    /// The environment (`env` with literal values), in order.
    public var env: [EnvVar] = []
    /// The working directory (`workingDir`), empty for the image's.
    public var workingDir = ""
    /// `Always`, `IfNotPresent` or `Never` (`imagePullPolicy`; defaulted by the API server).
    public var imagePullPolicy = "IfNotPresent"
    /// Whether the container gets a terminal (`tty`): its output is then one stream, stdout.
    public var tty = false
    /// Whether the container's stdin stays open for attached clients (`stdin`).
    public var stdin = false
    /// Whether stdin is closed once the first attached client has closed it (`stdinOnce`).
    public var stdinOnce = false
    /// The pod volumes bound into the container (ignored by the simulated runtime).
    public var mounts: [Mount] = []
    /// The container's CPU and memory limits (`resources`; applied where the sandbox has a cgroup parent).
    public var resources = LinuxContainerResources()
    /// The container as the pod spec names it, for runtimes that map more of it (ports, security
    /// context: `CRIRuntime`); nil when not known.
    public var spec: CoreV1.Container?
    /// How the simulated runtime runs the container (ignored by real runtimes).
    public var simulation: SimulatedBehaviour

    /// A container of `image`, with the default simulated behaviour (runs until stopped).
    public init(name: String, image: String, command: [String] = [], args: [String] = [], simulation: SimulatedBehaviour = .init()) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.simulation = simulation
    }
}
