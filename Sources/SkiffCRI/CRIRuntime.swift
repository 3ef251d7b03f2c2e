import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SkiffAPI
import SkiffKubelet

/// A container runtime reached over CRI v1 gRPC (containerd, CRI-O), as upstream's kubelet uses
/// one: sandboxes, images and containers are the daemon's; the kubelet keeps only what it needs
/// to name them again (each sandbox's config and log directory, the next attempt per container
/// name). Logs are read from the CRI-format files the daemon writes under the kubelet's log
/// directory. See docs/runtime.md.
public actor CRIRuntime: ContainerRuntime {
    /// Which daemon, and where the kubelet keeps pods' volumes and logs.
    public struct Configuration: Sendable {
        /// `unix:///run/containerd/containerd.sock` (upstream's `--container-runtime-endpoint`).
        public var endpoint: String
        /// Pod volumes and logs go under `<dataDirectory>/pods`.
        public var dataDirectory: String
        /// How often the kubelet re-reads container states (upstream's PLEG relist period: 1 s).
        public var relistPeriod: Duration = .seconds(1)
        /// Where in each cgroup hierarchy the kubelet makes the pods' cgroups, which it passes as
        /// the sandboxes' `cgroup_parent` (upstream's `--cgroup-root` with the cgroupfs driver;
        /// the OCI runtime's default). nil: none, the daemon's default parent and no pod limits.
        public var cgroupRoot: String? = "/skiff"

        /// A runtime at `endpoint` whose pods' files go under `dataDirectory`.
        public init(endpoint: String, dataDirectory: String) {
            self.endpoint = endpoint
            self.dataDirectory = dataDirectory
        }
    }

    typealias Transport = HTTP2ClientTransport.Posix

    /// What the kubelet remembers of a sandbox.
    struct Sandbox {
        var config: PodSandboxConfig
        var logDirectory: PodLogDirectory
        /// The attempt number of the next container of each name.
        var attempts: [String: Int] = [:]
    }

    /// `<runtime name>://<runtime version>`, as upstream reports `containerRuntimeVersion`.
    public nonisolated let version: String
    /// See `ContainerRuntime`.
    public nonisolated var relistPeriod: Duration? { configuration.relistPeriod }
    /// Containers here are real processes, so the kubelet runs their probes.
    public nonisolated var runsProcesses: Bool { true }
    /// Pod volumes go under the kubelet's data directory, as upstream's `/var/lib/kubelet/pods`.
    public nonisolated var podsDirectory: String? { "\(configuration.dataDirectory)/pods" }
    /// See `Configuration.cgroupRoot`.
    public nonisolated var cgroupRoot: String? { configuration.cgroupRoot }

    let configuration: Configuration
    let runtimeService: Runtime_V1_RuntimeService.Client<Transport>
    let imageService: Runtime_V1_ImageService.Client<Transport>
    private let client: GRPCClient<Transport>
    /// Runs the client's connections until `shutdown()`.
    private let connections: Task<Void, Never>
    var sandboxes: [String: Sandbox] = [:]
    /// The log file of each container the kubelet created or found.
    var logPaths: [String: String] = [:]

    /// Connects to the daemon at `configuration.endpoint` and asks its version (`Version`), as
    /// upstream's kubelet does at start; throws when it does not answer.
    public init(configuration: Configuration) async throws {
        let transport = try CRITransport.transport(socketPath: try CRITransport.socketPath(configuration.endpoint))
        let client = GRPCClient(transport: transport)
        let connections = Task { _ = try? await client.runConnections() }
        let runtimeService = Runtime_V1_RuntimeService.Client(wrapping: client)
        do {
            let response = try await runtimeService.version(.with { $0.version = "v1" }, options: CRITransport.callOptions(timeout: .seconds(10)))
            version = "\(response.runtimeName)://\(response.runtimeVersion)"
        } catch {
            client.beginGracefulShutdown()
            await connections.value
            throw CRICallError.runtimeError(error, code: .invalidState)
        }
        self.configuration = configuration
        self.client = client
        self.connections = connections
        self.runtimeService = runtimeService
        imageService = Runtime_V1_ImageService.Client(wrapping: client)
    }

    /// See `ContainerRuntime` (`RunPodSandbox`; the kubelet makes the log directory first, as upstream's does).
    public func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        let logs = logDirectory(podNamespace: config.podNamespace, podName: config.podName, podUID: config.podUID)
        try FileManager.default.createDirectory(atPath: logs.path, withIntermediateDirectories: true)
        let request = Runtime_V1_RunPodSandboxRequest.with { $0.config = Runtime_V1_PodSandboxConfig(config, logDirectory: logs.path) }
        let id = try await call { try await self.runtimeService.runPodSandbox(request, options: CRITransport.callOptions()).podSandboxID }
        sandboxes[id] = Sandbox(config: config, logDirectory: logs)
        return id
    }

    /// The sandbox's address from `PodSandboxStatus`, nil when it has none (host network).
    public func podSandboxIP(_ sandboxID: String) async -> String? {
        let status = try? await runtimeService.podSandboxStatus(.with { $0.podSandboxID = sandboxID }, options: CRITransport.callOptions())
        guard let address = status?.status.network.ip, !address.isEmpty else { return nil }
        return address
    }

    /// See `ContainerRuntime` (`StopPodSandbox`).
    public func stopPodSandbox(_ sandboxID: String) async throws {
        try await call { try await self.runtimeService.stopPodSandbox(.with { $0.podSandboxID = sandboxID }, options: CRITransport.callOptions()) }
    }

    /// See `ContainerRuntime` (`RemovePodSandbox`; a sandbox already gone is removed).
    public func removePodSandbox(_ sandboxID: String) async throws {
        do {
            try await call { try await self.runtimeService.removePodSandbox(.with { $0.podSandboxID = sandboxID }, options: CRITransport.callOptions()) }
        } catch let error as SkiffKubelet.RuntimeError where error.code == .notFound {}
        sandboxes[sandboxID] = nil
    }

    /// `CreateContainer` from the image the runtime has, with the next attempt number.
    public func createContainer(in sandboxID: String, _ config: ContainerConfig) async throws -> String {
        let sandbox = try await sandbox(sandboxID)
        let imageRef = try await imageReference(config.image)
        let attempt = sandbox.attempts[config.name, default: 0]
        try? FileManager.default.createDirectory(atPath: "\(sandbox.logDirectory.path)/\(config.name)", withIntermediateDirectories: true)
        let request = Runtime_V1_CreateContainerRequest.with {
            $0.podSandboxID = sandboxID
            $0.config = Runtime_V1_ContainerConfig(config, sandbox: sandbox.config, imageRef: imageRef, attempt: attempt)
            $0.sandboxConfig = Runtime_V1_PodSandboxConfig(sandbox.config, logDirectory: sandbox.logDirectory.path)
        }
        let id: String
        do {
            id = try await runtimeService.createContainer(request, options: CRITransport.callOptions()).containerID
        } catch {
            throw CRICallError.runtimeError(error, code: .createContainer)
        }
        sandboxes[sandboxID]?.attempts[config.name] = attempt + 1
        logPaths[id] = "\(sandbox.logDirectory.path)/\(PodLogDirectory.relativeLogPath(container: config.name, attempt: attempt))"
        return id
    }

    /// See `ContainerRuntime` (`StartContainer`).
    public func startContainer(_ containerID: String) async throws {
        try await call { try await self.runtimeService.startContainer(.with { $0.containerID = containerID }, options: CRITransport.callOptions()) }
    }

    /// `StopContainer` with the grace period as its timeout (the daemon sends SIGTERM, then SIGKILL).
    public func stopContainer(_ containerID: String, timeout: Duration) async throws {
        let request = Runtime_V1_StopContainerRequest.with {
            $0.containerID = containerID
            $0.timeout = timeout.components.seconds
        }
        try await call { try await self.runtimeService.stopContainer(request, options: CRITransport.callOptions(timeout: timeout + .seconds(120))) }
    }

    /// See `ContainerRuntime` (`RemoveContainer`; one already gone is removed).
    public func removeContainer(_ containerID: String) async throws {
        do {
            try await call { try await self.runtimeService.removeContainer(.with { $0.containerID = containerID }, options: CRITransport.callOptions()) }
        } catch let error as SkiffKubelet.RuntimeError where error.code == .notFound {}
        logPaths[containerID] = nil
    }

    /// See `ContainerRuntime` (`ContainerStatus`).
    public func containerStatus(_ containerID: String) async throws -> RuntimeContainerStatus {
        let status = try await call {
            try await self.runtimeService.containerStatus(.with { $0.containerID = containerID }, options: CRITransport.callOptions()).status
        }
        return RuntimeContainerStatus(status)
    }

    /// The lines of the container's log file (written by the daemon in the CRI format); with
    /// `follow`, until it exits.
    public func containerLogs(_ containerID: String, follow: Bool) async throws -> AsyncThrowingStream<String, any Error> {
        let path: String
        if let known = logPaths[containerID] {
            path = known
        } else {
            path = try await call {
                try await self.runtimeService.containerStatus(.with { $0.containerID = containerID }, options: CRITransport.callOptions()).status.logPath
            }
        }
        let running: (@Sendable () async -> Bool)? = follow ? { @Sendable in
            let state = try? await self.containerStatus(containerID).state
            return state == .running || state == .created
        } : nil
        return CRILogReader(path: path).lines(follow: running)
    }

    /// `ExecSync` (exec probes): the command's exit code and output.
    public func exec(_ containerID: String, command: [String]) async throws -> ExecResult {
        let request = Runtime_V1_ExecSyncRequest.with {
            $0.containerID = containerID
            $0.cmd = command
        }
        let response = try await call { try await self.runtimeService.execSync(request, options: CRITransport.callOptions(timeout: nil)) }
        return ExecResult(
            exitCode: response.exitCode, stdout: String(decoding: response.stdout, as: UTF8.self), stderr: String(decoding: response.stderr, as: UTF8.self))
    }

    /// `Exec`, then the session at the daemon's streaming URL with the client's streams (stdout
    /// always, stderr unless there is a terminal, as CRI asks); returns the command's exit code.
    public func execStreaming(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        let request = Runtime_V1_ExecRequest.with {
            $0.containerID = containerID
            $0.cmd = streams.command
            $0.tty = streams.tty
            $0.stdin = streams.stdin != nil
            $0.stdout = true
            $0.stderr = !streams.tty
        }
        let url = try await call { try await self.runtimeService.exec(request, options: CRITransport.callOptions()).url }
        return try await StreamingServerClient.remoteCommand(url: url, streams)
    }

    /// `Attach`, then the session at the daemon's streaming URL until the container exits or the
    /// client leaves (0: the daemon reports no exit code for an attach).
    public func attach(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        let request = Runtime_V1_AttachRequest.with {
            $0.containerID = containerID
            $0.tty = streams.tty
            $0.stdin = streams.stdin != nil
            $0.stdout = true
            $0.stderr = !streams.tty
        }
        let url = try await call { try await self.runtimeService.attach(request, options: CRITransport.callOptions()).url }
        return try await StreamingServerClient.remoteCommand(url: url, streams)
    }

    /// `PortForward` for the pod's sandbox, then a connection to `port` through the daemon's
    /// streaming URL (the daemon dials it inside the pod's network namespace).
    public func portForward(podUID: String, port: Int) async throws -> PodPortConnection? {
        guard let sandboxID = sandboxes.first(where: { $0.value.config.podUID == podUID })?.key else {
            throw SkiffKubelet.RuntimeError(.notFound, "no sandbox for pod \(podUID)")
        }
        let request = Runtime_V1_PortForwardRequest.with {
            $0.podSandboxID = sandboxID
            $0.port = [Int32(port)]
        }
        let url = try await call { try await self.runtimeService.portForward(request, options: CRITransport.callOptions()).url }
        return try await StreamingServerClient.portForward(url: url, port: port)
    }

    /// The log files as upstream lays them out: `pods/<ns>_<pod>_<uid>/<container>/<n>.log`.
    public func logFiles(podNamespace: String, podName: String, podUID: String, container: String) -> [String] {
        logDirectory(podNamespace: podNamespace, podName: podName, podUID: podUID).logFiles(container: container)
    }

    /// `ContainerStats`: CPU time and working set.
    public func containerUsage(_ containerID: String) async -> ContainerUsage? {
        guard let stats = try? await runtimeService.containerStats(.with { $0.containerID = containerID }, options: CRITransport.callOptions()).stats,
            stats.hasCpu, stats.hasMemory
        else { return nil }
        return ContainerUsage(
            cpuSeconds: Double(stats.cpu.usageCoreNanoSeconds.value) / 1e9, memoryBytes: Double(stats.memory.workingSetBytes.value))
    }

    /// Stops and removes the sandboxes this kubelet runs (nothing it started outlives it), then
    /// closes the connection. The calls run in a task of their own: the stopping kubelet's task
    /// may be cancelled, which would end each call at once.
    public func shutdown() async {
        await Task {
            for id in Array(sandboxes.keys) {
                try? await stopPodSandbox(id)
                try? await removePodSandbox(id)
            }
        }.value
        client.beginGracefulShutdown()
        await connections.value
    }

    func logDirectory(podNamespace: String, podName: String, podUID: String) -> PodLogDirectory {
        PodLogDirectory(root: "\(configuration.dataDirectory)/pods", podNamespace: podNamespace, podName: podName, podUID: podUID)
    }

    /// A call whose failure becomes a `RuntimeError` (`notFound` when the daemon said NotFound).
    @discardableResult
    func call<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw CRICallError.runtimeError(error)
        }
    }
}
