/// What a container is created from.
public struct ContainerConfig: Sendable, Hashable {
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
