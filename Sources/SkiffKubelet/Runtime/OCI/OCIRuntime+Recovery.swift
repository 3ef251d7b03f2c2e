import Foundation
import SkiffAPI
import SkiffHostProcess

/// Finding what a previous run of the kubelet left: the sandboxes and containers whose metadata
/// (`RuntimeMetadata`) is under the data directory. Started containers are adopted
/// (`ContainerProcess.init(adopting:)`: running ones keep running, exited ones report their exit);
/// what cannot be adopted is removed: containers that never started or whose sandbox is gone,
/// and runc containers (`runc list`) that no metadata names.
extension OCIRuntime {
    /// See `ContainerRuntime`; the first call finds what a previous run left.
    public func existingSandboxes() async -> [ExistingSandbox] {
        if recovery == nil { recovery = Task { await self.recover() } }
        await recovery?.value
        return sandboxes.map { id, sandbox in
            let found = sandbox.containers.compactMap { containerID in
                containers[containerID].map { ExistingSandbox.Container(id: containerID, name: $0.config.name, attempt: $0.attempt) }
            }
            return ExistingSandbox(id: id, podUID: sandbox.config.podUID, podIP: sandbox.config.podIP, containers: found)
        }
    }

    /// The sandboxes and containers of the data directory this run does not know yet.
    private func recover() async {
        for id in Self.entries("\(configuration.dataDirectory)/sandboxes") where sandboxes[id] == nil {
            guard let stored = RuntimeMetadata.read(RuntimeMetadata.Sandbox.self, from: sandboxMetadataPath(id)) else { continue }
            var config = PodSandboxConfig(
                podName: stored.podName, podNamespace: stored.podNamespace, podUID: stored.podUID, podIP: stored.podIP,
                podSubnet: stored.podSubnet.flatMap(IPv4Subnet.init))
            config.hostname = stored.hostname
            config.cgroupParent = stored.cgroupParent
            sandboxes[id] = Sandbox(config: config, netns: stored.netns, resolvConf: stored.resolvConf ? resolvConfPath(id) : nil)
        }
        let root = "\(configuration.dataDirectory)/containers"
        for id in Self.entries(root) where containers[id] == nil {
            let bundle = "\(root)/\(id)"
            guard let stored = RuntimeMetadata.read(RuntimeMetadata.Container.self, from: containerMetadataPath(bundle)),
                sandboxes[stored.sandboxID] != nil, stored.startedAt != nil,
                let process = try? ContainerProcess(adopting: bundle, logPath: stored.logPath)
            else {
                _ = try? await HostCommand.run([configuration.runc, "--root", stateRoot, "delete", "--force", id], check: false)
                await removeBundle(bundle)
                continue
            }
            var config = ContainerConfig(name: stored.name, image: stored.image)
            config.tty = stored.tty
            config.stdin = stored.stdin
            config.stdinOnce = stored.stdinOnce
            containers[id] = Container(
                sandboxID: stored.sandboxID, config: config, attempt: stored.attempt, bundle: bundle, logPath: stored.logPath, image: stored.image,
                imageID: stored.imageID, createdAt: stored.createdAt, startedAt: stored.startedAt, process: process)
            let next = max(sandboxes[stored.sandboxID]?.attempts[stored.name] ?? 0, stored.attempt + 1)
            sandboxes[stored.sandboxID]?.containers.append(id)
            sandboxes[stored.sandboxID]?.attempts[stored.name] = next
        }
        for id in await runcContainers() where containers[id] == nil {
            _ = try? await HostCommand.run([configuration.runc, "--root", stateRoot, "delete", "--force", id], check: false)
        }
    }

    /// The IDs of the containers runc holds state for (`runc list`).
    private func runcContainers() async -> [String] {
        guard let listed = try? await HostCommand.run([configuration.runc, "--root", stateRoot, "list", "--format", "json"]),
            let value = try? JSONValue(parsing: listed.output)
        else { return [] }
        return (value.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    /// The metadata of a sandbox, as `recover` reads it back.
    func metadata(_ sandbox: Sandbox) -> RuntimeMetadata.Sandbox {
        RuntimeMetadata.Sandbox(
            podName: sandbox.config.podName, podNamespace: sandbox.config.podNamespace, podUID: sandbox.config.podUID, podIP: sandbox.config.podIP,
            podSubnet: sandbox.config.podSubnet?.description, hostname: sandbox.config.hostname, netns: sandbox.netns,
            resolvConf: sandbox.resolvConf != nil, cgroupParent: sandbox.config.cgroupParent)
    }

    /// The metadata of a container, as `recover` reads it back.
    func metadata(_ container: Container) -> RuntimeMetadata.Container {
        RuntimeMetadata.Container(
            sandboxID: container.sandboxID, name: container.config.name, attempt: container.attempt, logPath: container.logPath,
            image: container.image, imageID: container.imageID, createdAt: container.createdAt, startedAt: container.startedAt,
            tty: container.config.tty, stdin: container.config.stdin, stdinOnce: container.config.stdinOnce)
    }

    private static func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }
}
