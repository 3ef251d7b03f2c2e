import SkiffKubelet

extension CRIRuntime {
    /// The ready sandboxes the daemon holds for pods (by upstream's `io.kubernetes.pod.uid`
    /// label), with their containers (`ListPodSandbox`, `ListContainers`), what a previous run
    /// of the kubelet left; sandboxes no longer ready are stopped and removed, as upstream's
    /// kubelet replaces them.
    public func existingSandboxes() async -> [ExistingSandbox] {
        let options = CRITransport.callOptions()
        guard let items = try? await runtimeService.listPodSandbox(.init(), options: options).items,
            let containers = try? await runtimeService.listContainers(.init(), options: options).containers
        else { return [] }
        var found: [ExistingSandbox] = []
        for item in items where item.labels[CRILabels.podUID] != nil {
            guard item.state == .sandboxReady else {
                try? await stopPodSandbox(item.id)
                try? await removePodSandbox(item.id)
                continue
            }
            let own = containers.filter { $0.podSandboxID == item.id }
            let address = await podSandboxIP(item.id) ?? ""
            adopt(item.id, metadata: item.metadata, address: address, containers: own)
            found.append(
                ExistingSandbox(
                    id: item.id, podUID: item.metadata.uid, podIP: address,
                    containers: own.map { .init(id: $0.id, name: $0.metadata.name, attempt: Int($0.metadata.attempt)) }))
        }
        return found
    }

    /// The kubelet's record of a sandbox, made again from the daemon's (`PodSandboxStatus`)
    /// when this kubelet did not create it.
    func sandbox(_ id: String) async throws -> Sandbox {
        if let known = sandboxes[id] { return known }
        let status = try await call { try await self.runtimeService.podSandboxStatus(.with { $0.podSandboxID = id }, options: CRITransport.callOptions()).status }
        let containers = try await call {
            try await self.runtimeService.listContainers(.with { $0.filter.podSandboxID = id }, options: CRITransport.callOptions()).containers
        }
        adopt(id, metadata: status.metadata, address: status.network.ip, containers: containers)
        guard let adopted = sandboxes[id] else { throw SkiffKubelet.RuntimeError(.notFound, "sandbox \(id) not found") }
        return adopted
    }

    /// See `ContainerRuntime`: the kubelet's config replaces the one made from the daemon's
    /// metadata, so the containers created in the sandbox from now on get the pod's cgroup as
    /// their parent again (and the rest of the sandbox config `CreateContainer` carries).
    public func adoptSandbox(_ sandboxID: String, config: PodSandboxConfig) {
        sandboxes[sandboxID]?.config = config
    }

    /// Records a sandbox found at the daemon, its containers' log files and next attempts; a
    /// sandbox already known keeps its config.
    private func adopt(_ id: String, metadata: Runtime_V1_PodSandboxMetadata, address: String, containers: [Runtime_V1_Container]) {
        let config = sandboxes[id]?.config
            ?? PodSandboxConfig(podName: metadata.name, podNamespace: metadata.namespace, podUID: metadata.uid, podIP: address)
        var sandbox = Sandbox(config: config, logDirectory: logDirectory(podNamespace: metadata.namespace, podName: metadata.name, podUID: metadata.uid))
        for container in containers {
            let name = container.metadata.name
            let attempt = Int(container.metadata.attempt)
            sandbox.attempts[name] = max(sandbox.attempts[name, default: 0], attempt + 1)
            logPaths[container.id] = "\(sandbox.logDirectory.path)/\(PodLogDirectory.relativeLogPath(container: name, attempt: attempt))"
        }
        sandboxes[id] = sandbox
    }
}
