/// What a container is created from.
public struct ContainerConfig: Sendable, Hashable {
    /// The container's name in the pod.
    public var name: String
    /// The image as the pod spec names it.
    public var image: String
    /// The entrypoint (`command`), empty for the image's.
    public var command: [String]
    /// The arguments (`args`).
    public var args: [String]
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
