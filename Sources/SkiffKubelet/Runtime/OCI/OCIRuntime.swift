import AsyncHTTPClient
import Foundation
import SkiffAPI
import SkiffHostProcess

/// A container runtime that runs real processes with an OCI runtime (`runc`): images are pulled
/// into an `ImageStore`, each pod gets a network namespace (`ip netns`), each container an OCI
/// bundle whose rootfs is an overlayfs over the image's, run by `runc run` as a child whose
/// output goes to a CRI-format log file. See docs/runtime.md for what this host supports.
public actor OCIRuntime: ContainerRuntime {
    /// Where the runtime keeps its state and which tools it uses.
    public struct Configuration: Sendable {
        /// Images, bundles, logs and runc's state go under here.
        public var dataDirectory: String
        /// The OCI runtime binary.
        public var runc = "runc"
        /// How often the kubelet re-reads container states (upstream's PLEG relist period: 1 s).
        public var relistPeriod: Duration = .seconds(1)
        /// Where in each cgroup hierarchy the kubelet makes the pods' cgroups (nil: none, no limits).
        public var cgroupRoot: String? = "/skiff"

        /// A runtime keeping its state under `dataDirectory`.
        public init(dataDirectory: String) {
            self.dataDirectory = dataDirectory
        }
    }

    struct Sandbox {
        var config: PodSandboxConfig
        var netns: String
        /// The resolv.conf the containers mount (nil: the image's).
        var resolvConf: String?
        var containers: [String] = []
        /// Containers created so far per name (the number of the next one's log file).
        var attempts: [String: Int] = [:]
    }

    struct Container {
        var sandboxID: String
        var config: ContainerConfig
        var attempt: Int
        var bundle: String
        var logPath: String
        var image: String
        var imageID: String
        var createdAt: Timestamp
        var startedAt: Timestamp?
        var process: ContainerProcess?
        /// Whether the OOM killer ended it, once its exit was seen.
        var oomKilled: Bool?
    }

    /// Reported as the node's `containerRuntimeVersion`.
    public nonisolated let version = "runc://1.1"
    /// See `ContainerRuntime`.
    public nonisolated var relistPeriod: Duration? { configuration.relistPeriod }

    let configuration: Configuration
    private let images: ImageStore
    private let registry: RegistryClient
    let network = CNINetwork()
    var sandboxes: [String: Sandbox] = [:]
    var containers: [String: Container] = [:]
    /// Finding what a previous run left (`existingSandboxes`), once.
    var recovery: Task<Void, Never>?

    /// The tools this runtime needs that the host lacks (empty: it can run here).
    public static func missingPrerequisites(runc: String = "runc") -> [String] {
        var missing = [runc, "ip", "tar", "mount", "sha256sum", "setsid"].filter { !HostCommand.available($0) }
        if getuid() != 0 { missing.append("root") }
        return missing
    }

    /// A runtime per `configuration`.
    public init(configuration: Configuration) {
        self.configuration = configuration
        images = ImageStore(kubeletRoot: configuration.dataDirectory)
        registry = RegistryClient(http: HTTPClient.shared, store: images)
    }

    var stateRoot: String { "\(configuration.dataDirectory)/runc" }

    /// See `ContainerRuntime`.
    public func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        let id = Self.newID()
        let netns = "skiff-\(id.prefix(12))"
        try await HostCommand.run(["ip", "netns", "add", netns])
        try await HostCommand.run(["ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"])
        if let subnet = config.podSubnet, network.available {
            do {
                try await network.add(id: id, netns: "/var/run/netns/\(netns)", address: config.podIP, subnet: subnet)
            } catch {
                try await HostCommand.run(["ip", "netns", "delete", netns], check: false)
                throw RuntimeError(.invalidState, "failed to set up the pod network: \(error)")
            }
        }
        try FileManager.default.createDirectory(atPath: sandboxDirectory(id), withIntermediateDirectories: true)
        if let dns = config.dns { try Data(dns.text.utf8).write(to: URL(fileURLWithPath: resolvConfPath(id))) }
        let sandbox = Sandbox(config: config, netns: netns, resolvConf: config.dns == nil ? nil : resolvConfPath(id))
        try RuntimeMetadata.write(metadata(sandbox), to: sandboxMetadataPath(id))
        sandboxes[id] = sandbox
        return id
    }

    /// See `ContainerRuntime`.
    public func stopPodSandbox(_ sandboxID: String) async throws {
        guard let sandbox = sandboxes[sandboxID] else { throw RuntimeError(.notFound, "sandbox \(sandboxID) not found") }
        for id in sandbox.containers { try await stopContainer(id, timeout: .zero) }
    }

    /// See `ContainerRuntime`.
    public func removePodSandbox(_ sandboxID: String) async throws {
        guard let sandbox = sandboxes[sandboxID] else { return }
        for id in sandbox.containers { try await removeContainer(id) }
        if let subnet = sandbox.config.podSubnet, network.available {
            await network.delete(id: sandboxID, netns: "/var/run/netns/\(sandbox.netns)", address: sandbox.config.podIP, subnet: subnet)
        }
        try await HostCommand.run(["ip", "netns", "delete", sandbox.netns], check: false)
        try? FileManager.default.removeItem(atPath: sandboxDirectory(sandboxID))
        sandboxes[sandboxID] = nil
    }

    /// Writes the bundle with an overlayfs rootfs of the image the node has.
    public func createContainer(in sandboxID: String, _ config: ContainerConfig) async throws -> String {
        guard let sandbox = sandboxes[sandboxID] else { throw RuntimeError(.notFound, "sandbox \(sandboxID) not found") }
        guard let manifest = images.resolved(ImageName(config.image)) else {
            throw RuntimeError(.createContainer, "image \"\(config.image)\" is not present on the node")
        }
        let id = Self.newID()
        let bundle = "\(configuration.dataDirectory)/containers/\(id)"
        let logDirectory = "\(podDirectory(sandbox.config))/\(config.name)"
        let attempt = sandbox.attempts[config.name, default: 0]
        do {
            let lower = try await images.rootfs(manifest)
            for directory in ["rootfs", "upper", "work"] {
                try FileManager.default.createDirectory(atPath: "\(bundle)/\(directory)", withIntermediateDirectories: true)
            }
            try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
            try await HostCommand.run([
                "mount", "-t", "overlay", "overlay", "-o", "lowerdir=\(lower),upperdir=\(bundle)/upper,workdir=\(bundle)/work", "\(bundle)/rootfs",
            ])
            let spec = OCIBundleSpec(
                container: config, image: try images.config(manifest), hostname: sandbox.config.hostname ?? sandbox.config.podName,
                networkNamespacePath: "/var/run/netns/\(sandbox.netns)", resolvConf: sandbox.resolvConf,
                cgroupsPath: sandbox.config.cgroupParent.map { "\($0)/\(id)" })
            try Data(spec.json.serialized()).write(to: URL(fileURLWithPath: "\(bundle)/config.json"))
        } catch {
            await removeBundle(bundle)
            throw RuntimeError(.createContainer, "failed to create containerd container: \(error)")
        }
        let name = ImageName(config.image)
        let container = Container(
            sandboxID: sandboxID, config: config, attempt: attempt, bundle: bundle, logPath: "\(logDirectory)/\(attempt).log",
            image: name.description, imageID: "\(name.domain)/\(name.repository)@\(manifest.configDigest)", createdAt: .now())
        do {
            try RuntimeMetadata.write(metadata(container), to: containerMetadataPath(bundle))
        } catch {
            await removeBundle(bundle)
            throw RuntimeError(.createContainer, "failed to create containerd container: \(error)")
        }
        containers[id] = container
        sandboxes[sandboxID]?.containers.append(id)
        sandboxes[sandboxID]?.attempts[config.name] = attempt + 1
        return id
    }

    /// See `ContainerRuntime`.
    public func startContainer(_ containerID: String) async throws {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        guard container.process == nil else { throw RuntimeError(.invalidState, "container \(containerID) was already started") }
        let process = try ContainerProcess(
            runc: configuration.runc, stateRoot: stateRoot, bundle: container.bundle, id: containerID, logPath: container.logPath,
            tty: container.config.tty, stdin: container.config.stdin, stdinOnce: container.config.stdinOnce)
        containers[containerID]?.process = process
        containers[containerID]?.startedAt = .now()
        if let started = containers[containerID] { try? RuntimeMetadata.write(metadata(started), to: containerMetadataPath(started.bundle)) }
        await waitUntilRunning(containerID, process: process)
    }

    /// Returns once runc has started the container or its process has ended, as CRI's
    /// `StartContainer` returns once the container runs: an exec (a `postStart` hook) may follow
    /// at once. Read from runc's state directory rather than by running `runc state` (a hundred
    /// pods starting at once would spawn thousands of processes): runc writes `state.json` once
    /// the container exists and removes its `exec.fifo` when the container's process starts.
    /// Gives up after `startTimeout`; the container's status then tells the rest.
    private func waitUntilRunning(_ containerID: String, process: ContainerProcess) async {
        let state = "\(stateRoot)/\(containerID)"
        let deadline = ContinuousClock.now.advanced(by: Self.startTimeout)
        while process.exited == nil, ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: "\(state)/state.json"), !FileManager.default.fileExists(atPath: "\(state)/exec.fifo") {
                return
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The longest `startContainer` waits for runc to report the container running.
    static let startTimeout = Duration.seconds(10)

    /// See `ContainerRuntime`: from the container's cgroups (`ContainerCgroupStats`).
    public func containerUsage(_ containerID: String) -> ContainerUsage? {
        guard containers[containerID]?.process != nil else { return nil }
        return ContainerCgroupStats.read(stateRoot: stateRoot, id: containerID)
    }

    /// SIGTERM, then SIGKILL once `timeout` has passed; returns when the process is gone.
    public func stopContainer(_ containerID: String, timeout: Duration) async throws {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        guard let process = container.process, process.exited == nil else { return }
        try await HostCommand.run([configuration.runc, "--root", stateRoot, "kill", containerID, "TERM"], check: false)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while process.exited == nil, clock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        while process.exited == nil {
            try await HostCommand.run([configuration.runc, "--root", stateRoot, "kill", "--all", containerID, "KILL"], check: false)
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// See `ContainerRuntime`.
    public func removeContainer(_ containerID: String) async throws {
        guard let container = containers[containerID] else { return }
        try await stopContainer(containerID, timeout: .zero)
        try await HostCommand.run([configuration.runc, "--root", stateRoot, "delete", "--force", containerID], check: false)
        await removeBundle(container.bundle)
        containers[containerID] = nil
        sandboxes[container.sandboxID]?.containers.removeAll { $0 == containerID }
    }

    /// See `ContainerRuntime`.
    public func containerStatus(_ containerID: String) throws -> RuntimeContainerStatus {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        var status = RuntimeContainerStatus(
            id: containerID, state: .created, image: container.image, imageID: container.imageID, createdAt: container.createdAt,
            startedAt: container.startedAt)
        guard let process = container.process else { return status }
        guard let exit = process.exited else {
            status.state = .running
            return status
        }
        status.state = .exited
        status.finishedAt = exit.at
        status.exitCode = exit.code
        let oomKilled = container.oomKilled ?? ContainerCgroupStats.oomKilled(stateRoot: stateRoot, id: containerID)
        containers[containerID]?.oomKilled = oomKilled
        status.reason = oomKilled ? "OOMKilled" : exit.code == 0 ? "Completed" : "Error"
        return status
    }

    /// The lines of the container's log file (CRI format); with `follow`, until it exits.
    public func containerLogs(_ containerID: String, follow: Bool) async throws -> AsyncThrowingStream<String, any Error> {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        let running: (@Sendable () async -> Bool)? = follow ? { @Sendable in await self.isRunning(containerID) } : nil
        return CRILogReader(path: container.logPath).lines(follow: running)
    }

    /// `runc exec` of `command` in the running container, its output collected (exec probes).
    public func exec(_ containerID: String, command: [String]) async throws -> ExecResult {
        try await ExecProcess.collect(try execArguments(containerID, command))
    }

    /// `runc exec` in the running container (its environment and working directory); with `tty`,
    /// `runc exec --tty` on a pseudo-terminal of the kubelet's (see `PseudoTerminal`).
    public func execStreaming(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        try await ExecProcess.run(try execArguments(containerID, streams.command, tty: streams.tty), streams)
    }

    /// The container's output from now on, and the client's input to its stdin (a container with
    /// `stdin`) or terminal (with `tty`), until it exits; then its exit code.
    public func attach(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        guard let process = containers[containerID]?.process, process.exited == nil else {
            throw RuntimeError(.invalidState, "container \(containerID) is not running")
        }
        return await process.attach(streams)
    }

    /// Pod volumes go under the kubelet's data directory, as upstream's `/var/lib/kubelet/pods`.
    public nonisolated var podsDirectory: String? { "\(configuration.dataDirectory)/pods" }

    /// See `ContainerRuntime`: the configured root.
    public nonisolated var cgroupRoot: String? { configuration.cgroupRoot }

    /// Containers here are real processes, so the kubelet runs their probes.
    public nonisolated var runsProcesses: Bool { true }

    private func execArguments(_ containerID: String, _ command: [String], tty: Bool = false) throws -> [String] {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        guard let process = container.process, process.exited == nil else {
            throw RuntimeError(.invalidState, "container \(containerID) is not running")
        }
        return [configuration.runc, "--root", stateRoot, "exec"] + (tty ? ["--tty"] : []) + [containerID] + command
    }

    /// Kills and removes every container and sandbox (when the kubelet stops).
    public func shutdown() async {
        // All sandboxes at once, as upstream's kubelet kills pods: one after another, a hundred
        // pods took minutes (each stop and removal runs runc, CNI and `ip` a few times).
        await withTaskGroup(of: Void.self) { group in
            for id in Array(sandboxes.keys) {
                group.addTask {
                    try? await self.stopPodSandbox(id)
                    try? await self.removePodSandbox(id)
                }
            }
        }
    }

    /// The log files as upstream lays them out: `pods/<ns>_<pod>_<uid>/<container>/<n>.log`, n counting runs.
    public func logFiles(podNamespace: String, podName: String, podUID: String, container: String) -> [String] {
        PodLogDirectory(root: "\(configuration.dataDirectory)/pods", podNamespace: podNamespace, podName: podName, podUID: podUID)
            .logFiles(container: container)
    }

    private func isRunning(_ containerID: String) -> Bool {
        guard let process = containers[containerID]?.process else { return containers[containerID] != nil }
        return process.exited == nil
    }

    /// See `ContainerRuntime`: the node's image store.
    public func hasImage(_ image: String) async -> Bool {
        images.resolved(ImageName(image)) != nil
    }

    /// See `ContainerRuntime`: from the image's registry into the node's store.
    public func pullImage(_ image: String, credential: RegistryCredential?, sandboxID: String) async throws -> Int64 {
        let name = ImageName(image)
        do {
            let manifest = try await registry.pull(name, credential: credential)
            try images.record(name, manifest)
            return images.size(manifest)
        } catch let error as ImagePullError {
            throw RuntimeError(.imagePull, "rpc error: code = NotFound desc = \(error.message)")
        } catch {
            throw RuntimeError(.imagePull, "rpc error: code = Unknown desc = \(ImagePullError(image: name, cause: "\(error)").message)")
        }
    }

    /// Where a sandbox keeps its files (the resolv.conf its containers mount, its metadata).
    func sandboxDirectory(_ id: String) -> String { "\(configuration.dataDirectory)/sandboxes/\(id)" }

    func sandboxMetadataPath(_ id: String) -> String { "\(sandboxDirectory(id))/sandbox.json" }

    func containerMetadataPath(_ bundle: String) -> String { "\(bundle)/container.json" }

    func resolvConfPath(_ id: String) -> String { "\(sandboxDirectory(id))/resolv.conf" }

    private func podDirectory(_ config: PodSandboxConfig) -> String {
        PodLogDirectory(root: "\(configuration.dataDirectory)/pods", podNamespace: config.podNamespace, podName: config.podName, podUID: config.podUID)
            .path
    }

    func removeBundle(_ bundle: String) async {
        _ = try? await HostCommand.run(["umount", "\(bundle)/rootfs"], check: false)
        try? FileManager.default.removeItem(atPath: bundle)
    }

    private static func newID() -> String {
        (0..<4).map { _ in HexDigest.hex(UInt64.random(in: .min ... .max)) }.joined()
    }
}
