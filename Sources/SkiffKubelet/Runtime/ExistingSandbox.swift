/// A sandbox the runtime already holds, with its containers (CRI's `ListPodSandbox` and
/// `ListContainers`): what a restarted kubelet finds of its previous run.
public struct ExistingSandbox: Sendable, Hashable {
    /// One container of the sandbox.
    public struct Container: Sendable, Hashable {
        /// The runtime's ID.
        public var id: String
        /// The container's name in the pod.
        public var name: String
        /// Which run of that name it is (0 first; upstream's `attempt`).
        public var attempt: Int

        /// A container `name`, run `attempt`.
        public init(id: String, name: String, attempt: Int) {
            self.id = id
            self.name = name
            self.attempt = attempt
        }
    }

    /// The runtime's ID.
    public var id: String
    /// The UID of the pod it is for.
    public var podUID: String
    /// The pod's IP.
    public var podIP: String
    /// Its containers, running or exited.
    public var containers: [Container]

    /// A sandbox of the pod `podUID`.
    public init(id: String, podUID: String, podIP: String, containers: [Container]) {
        self.id = id
        self.podUID = podUID
        self.podIP = podIP
        self.containers = containers
    }
}
