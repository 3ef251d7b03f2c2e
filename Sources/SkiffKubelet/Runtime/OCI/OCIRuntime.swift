import AsyncHTTPClient
import Foundation
import SkiffAPI

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

        /// A runtime keeping its state under `dataDirectory`.
        public init(dataDirectory: String) {
            self.dataDirectory = dataDirectory
        }
    }

    private struct Sandbox {
        var config: PodSandboxConfig
        var netns: String
        var containers: [String] = []
        /// Containers created so far per name (the number of the next one's log file).
        var attempts: [String: Int] = [:]
    }

    private struct Container {
        var sandboxID: String
        var config: ContainerConfig
        var bundle: String
        var logPath: String
        var image: String
        var imageID: String
        var createdAt: Timestamp
        var startedAt: Timestamp?
        var process: ContainerProcess?
    }

    /// Reported as the node's `containerRuntimeVersion`.
    public nonisolated let version = "runc://1.1"
    /// See `ContainerRuntime`.
    public nonisolated var relistPeriod: Duration? { configuration.relistPeriod }

    private let configuration: Configuration
    private let images: ImageStore
    private let registry: RegistryClient
    private let network = CNINetwork()
    private var sandboxes: [String: Sandbox] = [:]
    private var containers: [String: Container] = [:]

    /// The tools this runtime needs that the host lacks (empty: it can run here).
    public static func missingPrerequisites(runc: String = "runc") -> [String] {
        var missing = [runc, "ip", "tar", "mount", "sha256sum"].filter { !HostCommand.available($0) }
        if getuid() != 0 { missing.append("root") }
        return missing
    }

    /// A runtime per `configuration`.
    public init(configuration: Configuration) {
        self.configuration = configuration
        images = ImageStore(root: "\(configuration.dataDirectory)/images")
        registry = RegistryClient(http: HTTPClient.shared, store: images)
    }

    private var stateRoot: String { "\(configuration.dataDirectory)/runc" }

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
        if let dns = config.dns {
            try FileManager.default.createDirectory(atPath: sandboxDirectory(id), withIntermediateDirectories: true)
            try Data(dns.text.utf8).write(to: URL(fileURLWithPath: resolvConfPath(id)))
        }
        sandboxes[id] = Sandbox(config: config, netns: netns)
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

    /// Pulls the image as the policy says, then writes the bundle with an overlayfs rootfs.
    public func createContainer(in sandboxID: String, _ config: ContainerConfig) async throws -> String {
        guard let sandbox = sandboxes[sandboxID] else { throw RuntimeError(.notFound, "sandbox \(sandboxID) not found") }
        let manifest = try await ensureImage(config)
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
                networkNamespacePath: "/var/run/netns/\(sandbox.netns)", resolvConf: sandbox.config.dns == nil ? nil : resolvConfPath(sandboxID))
            try Data(spec.json.serialized()).write(to: URL(fileURLWithPath: "\(bundle)/config.json"))
        } catch {
            await removeBundle(bundle)
            throw RuntimeError(.createContainer, "failed to create containerd container: \(error)")
        }
        let name = ImageName(config.image)
        containers[id] = Container(
            sandboxID: sandboxID, config: config, bundle: bundle, logPath: "\(logDirectory)/\(attempt).log", image: name.description,
            imageID: "\(name.domain)/\(name.repository)@\(manifest.configDigest)", createdAt: .now())
        sandboxes[sandboxID]?.containers.append(id)
        sandboxes[sandboxID]?.attempts[config.name] = attempt + 1
        return id
    }

    /// See `ContainerRuntime`.
    public func startContainer(_ containerID: String) async throws {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        guard container.process == nil else { throw RuntimeError(.invalidState, "container \(containerID) was already started") }
        containers[containerID]?.process = try ContainerProcess(
            runc: configuration.runc, stateRoot: stateRoot, bundle: container.bundle, id: containerID, logPath: container.logPath)
        containers[containerID]?.startedAt = .now()
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
        status.reason = exit.code == 0 ? "Completed" : "Error"
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

    /// `runc exec` in the running container (its environment and working directory); no
    /// terminal yet: with `tty` the command runs without one.
    public func execStreaming(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        try await ExecProcess.run(try execArguments(containerID, streams.command), streams)
    }

    /// The container's output from now on, read from its log file (its stdin is not attached:
    /// containers run with stdin closed), until it exits; then its exit code.
    public func attach(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 {
        guard let container = containers[containerID], container.process?.exited == nil else {
            throw RuntimeError(.invalidState, "container \(containerID) is not running")
        }
        var existing = 0
        for try await _ in CRILogReader(path: container.logPath).lines(follow: nil) { existing += 1 }
        var seen = 0
        let running: @Sendable () async -> Bool = { await self.isRunning(containerID) }
        for try await record in CRILogReader(path: container.logPath).lines(follow: running) {
            seen += 1
            let fields = record.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard seen > existing, fields.count == 4 else { continue }
            let text = String(fields[3]) + (fields[2] == "P" ? "" : "\n")
            await streams.output(fields[1] == "stderr" ? .stderr : .stdout, Array(text.utf8))
        }
        return (try containerStatus(containerID)).exitCode
    }

    /// Pod volumes go under the kubelet's data directory, as upstream's `/var/lib/kubelet/pods`.
    public nonisolated var podsDirectory: String? { "\(configuration.dataDirectory)/pods" }

    /// Containers here are real processes, so the kubelet runs their probes.
    public nonisolated var runsProbes: Bool { true }

    private func execArguments(_ containerID: String, _ command: [String]) throws -> [String] {
        guard let container = containers[containerID] else { throw RuntimeError(.notFound, "container \(containerID) not found") }
        guard let process = container.process, process.exited == nil else {
            throw RuntimeError(.invalidState, "container \(containerID) is not running")
        }
        return [configuration.runc, "--root", stateRoot, "exec", containerID] + command
    }

    /// Kills and removes every container and sandbox (when the kubelet stops).
    public func shutdown() async {
        for id in Array(sandboxes.keys) {
            try? await stopPodSandbox(id)
            try? await removePodSandbox(id)
        }
    }

    /// The log files as upstream lays them out: `pods/<ns>_<pod>_<uid>/<container>/<n>.log`, n counting runs.
    public func logFiles(podNamespace: String, podName: String, podUID: String, container: String) -> [String] {
        let directory = "\(podDirectory(PodSandboxConfig(podName: podName, podNamespace: podNamespace, podUID: podUID, podIP: "")))/\(container)"
        let runs = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap { Int($0.split(separator: ".").first ?? "") }
        return runs.sorted().map { "\(directory)/\($0).log" }
    }

    private func isRunning(_ containerID: String) -> Bool {
        guard let process = containers[containerID]?.process else { return containers[containerID] != nil }
        return process.exited == nil
    }

    private func ensureImage(_ config: ContainerConfig) async throws -> ImageManifest {
        let name = ImageName(config.image)
        if config.imagePullPolicy != "Always", let present = images.resolved(name) { return present }
        if config.imagePullPolicy == "Never" {
            throw RuntimeError(.imageNeverPull, "Container image \"\(config.image)\" is not present with pull policy of Never")
        }
        do {
            let manifest = try await registry.pull(name)
            try images.record(name, manifest)
            return manifest
        } catch let error as ImagePullError {
            throw RuntimeError(.imagePull, "rpc error: code = NotFound desc = \(error.message)")
        } catch {
            throw RuntimeError(.imagePull, "rpc error: code = Unknown desc = \(ImagePullError(image: name, cause: "\(error)").message)")
        }
    }

    /// Where a sandbox keeps its files (the resolv.conf its containers mount).
    private func sandboxDirectory(_ id: String) -> String { "\(configuration.dataDirectory)/sandboxes/\(id)" }

    private func resolvConfPath(_ id: String) -> String { "\(sandboxDirectory(id))/resolv.conf" }

    private func podDirectory(_ config: PodSandboxConfig) -> String {
        "\(configuration.dataDirectory)/pods/\(config.podNamespace)_\(config.podName)_\(config.podUID)"
    }

    private func removeBundle(_ bundle: String) async {
        _ = try? await HostCommand.run(["umount", "\(bundle)/rootfs"], check: false)
        try? FileManager.default.removeItem(atPath: bundle)
    }

    private static func newID() -> String {
        (0..<4).map { _ in HexDigest.hex(UInt64.random(in: .min ... .max)) }.joined()
    }
}
