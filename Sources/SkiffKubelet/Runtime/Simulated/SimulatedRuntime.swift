import SkiffAPI

/// A container runtime without processes (kwok's approach): sandboxes and containers are
/// records; a container "runs" from its start until it is stopped or, when its
/// `SimulatedBehaviour` says so, until `runSeconds` have passed, when it exits with `exitCode`.
/// Time comes from the injected `now`, so tests decide when containers finish.
public actor SimulatedRuntime: ContainerRuntime {
    private struct Sandbox {
        var config: PodSandboxConfig
        var containers: [String] = []
        var ready = true
    }

    private struct Container {
        var sandboxID: String
        var config: ContainerConfig
        var createdAt: Timestamp
        var startedAt: Timestamp?
        /// Set when stopped from outside (the natural exit is computed from the start).
        var stoppedAt: Timestamp?
    }

    /// Reported as containerd (the scheme of its container IDs), marked as simulated.
    public nonisolated let version = "containerd://1.7.24-skiff-simulated"

    private let clock: any TimestampClock
    private var sandboxes: [String: Sandbox] = [:]
    private var containers: [String: Container] = [:]
    private var generator: any RandomNumberGenerator & Sendable

    /// A runtime reading the time from `clock`, drawing IDs from `generator`.
    public init(clock: any TimestampClock = SystemClock(), generator: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.clock = clock
        self.generator = generator
    }

    /// Sandboxes currently known (tests check that pods leave none behind).
    public var sandboxCount: Int { sandboxes.count }

    /// See `ContainerRuntime`.
    public func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        let id = newID()
        sandboxes[id] = Sandbox(config: config)
        return id
    }

    /// See `ContainerRuntime`.
    public func stopPodSandbox(_ sandboxID: String) async throws {
        guard let sandbox = sandboxes[sandboxID] else { throw RuntimeError(.notFound, "sandbox \(sandboxID) not found") }
        for id in sandbox.containers { try await stopContainer(id, timeout: .zero) }
        sandboxes[sandboxID]?.ready = false
    }

    /// See `ContainerRuntime`.
    public func removePodSandbox(_ sandboxID: String) async throws {
        guard let sandbox = sandboxes.removeValue(forKey: sandboxID) else { return }
        for id in sandbox.containers { containers[id] = nil }
    }

    /// See `ContainerRuntime`.
    public func createContainer(in sandboxID: String, _ config: ContainerConfig) async throws -> String {
        guard sandboxes[sandboxID]?.ready == true else { throw RuntimeError(.notFound, "sandbox \(sandboxID) not found or not ready") }
        let id = newID()
        containers[id] = Container(sandboxID: sandboxID, config: config, createdAt: clock.now)
        sandboxes[sandboxID]?.containers.append(id)
        return id
    }

    /// See `ContainerRuntime`.
    public func startContainer(_ containerID: String) async throws {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        guard container.startedAt == nil else { throw RuntimeError(.invalidState, "container \(containerID) was already started") }
        containers[containerID]?.startedAt = clock.now
    }

    /// See `ContainerRuntime`.
    public func stopContainer(_ containerID: String, timeout: Duration) async throws {
        guard let status = try? containerStatus(containerID) else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        if status.state == .running { containers[containerID]?.stoppedAt = clock.now }
    }

    /// See `ContainerRuntime`.
    public func removeContainer(_ containerID: String) async throws {
        guard let container = containers.removeValue(forKey: containerID) else { return }
        sandboxes[container.sandboxID]?.containers.removeAll { $0 == containerID }
    }

    /// See `ContainerRuntime`.
    public func containerStatus(_ containerID: String) throws -> RuntimeContainerStatus {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        let image = ImageReference(container.config.image)
        var status = RuntimeContainerStatus(
            id: containerID, state: .created, image: image.normalized, imageID: image.digestReference, createdAt: container.createdAt)
        guard let startedAt = container.startedAt else { return status }
        status.startedAt = startedAt
        let naturalExit = container.config.simulation.runSeconds.map { startedAt.adding(milliseconds: Int64($0 * 1000)) }
        if let stoppedAt = container.stoppedAt, naturalExit.map({ stoppedAt < $0 }) ?? true {
            // Stopped by a signal before it finished: 143 (SIGTERM), as a process would report.
            status.state = .exited
            status.finishedAt = stoppedAt
            status.exitCode = 143
            status.reason = "Error"
        } else if let naturalExit, naturalExit <= clock.now {
            status.state = .exited
            status.finishedAt = naturalExit
            status.exitCode = container.config.simulation.exitCode
            status.reason = status.exitCode == 0 ? "Completed" : "Error"
        } else {
            status.state = .running
        }
        return status
    }

    /// See `ContainerRuntime`.
    public func containerLogs(_ containerID: String, follow: Bool) async throws -> AsyncThrowingStream<String, any Error> {
        let status = try containerStatus(containerID)
        let config = containers[containerID]?.config
        var lines: [String] = []
        if let startedAt = status.startedAt, let config {
            lines.append("\(startedAt.rfc3339) simulated container \(config.name) started (image \(status.image))")
        }
        if status.state == .exited, let finishedAt = status.finishedAt {
            lines.append("\(finishedAt.rfc3339) exited with code \(status.exitCode)")
        }
        let captured = lines
        return AsyncThrowingStream { continuation in
            for line in captured { continuation.yield(line) }
            continuation.finish()
        }
    }

    /// Every command succeeds without output: there is no process to run it in.
    public func exec(_ containerID: String, command: [String]) async throws -> ExecResult {
        guard try containerStatus(containerID).state == .running else {
            throw RuntimeError(.invalidState, "container \(containerID) is not running")
        }
        return ExecResult(exitCode: 0)
    }

    /// Simulated containers have no processes to run a command in.
    public func execStreaming(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        throw RuntimeError(
            .invalidState, "the simulated container runtime runs no processes; exec and attach need the process runtime (skiff up --runtime process)")
    }

    /// Simulated containers have no output to attach to.
    public func attach(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        try await execStreaming(containerID, streams)
    }

    private func newID() -> String {
        var id = ""
        for _ in 0..<4 { id += HexDigest.hex(generator.next() as UInt64) }
        return id
    }
}
