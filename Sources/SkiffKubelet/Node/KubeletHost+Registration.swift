import SkiffAPI
import SkiffClient
import SkiffModels

extension KubeletHost {
    /// Registers every node, `registrationConcurrency` at a time, once the node cache has
    /// synced (subnets existing Nodes hold are not handed out again). False if cancelled first.
    func registerAll() async -> Bool {
        guard await nodeInformer.waitForCacheSync() else { return false }
        for node in nodeInformer.indexer.list() {
            if let cidr = node.spec?.podCIDR, !cidr.isEmpty { podCIDRs.occupy(cidr) }
        }
        let started = clock.now
        let pending = Array(nodes.values)
        await withTaskGroup(of: Void.self) { group in
            var waiting = pending.makeIterator()
            for _ in 0..<max(configuration.registrationConcurrency, 1) {
                guard let node = waiting.next() else { break }
                group.addTask { await self.register(node) }
            }
            // Each finished registration starts the next one.
            while await group.next() != nil {
                if let node = waiting.next() { group.addTask { await self.register(node) } }
            }
        }
        guard !Task.isCancelled else { return false }
        logger.notice("nodes registered", metadata: ["nodes": "\(pending.count)", "seconds": "\(clock.now.duration(since: started))"])
        return true
    }

    /// Registers one node, retrying with back-off (100 ms doubling to 7 s, as upstream) until it
    /// succeeds or the task is cancelled.
    func register(_ node: SimulatedNode) async {
        var backoff: Duration = .milliseconds(100)
        while !Task.isCancelled {
            do {
                try await tryRegister(node)
                return
            } catch {
                logger.warning("unable to register node", metadata: ["node": "\(node.name)", "error": "\(error)"])
                try? await clock.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(7))
            }
        }
    }

    /// Creates the Node, or updates the one that exists, then creates or renews its Lease.
    /// `readExisting` reads the Node from the server rather than the cache (after a create
    /// found it already there).
    private func tryRegister(_ node: SimulatedNode, readExisting: Bool = false) async throws {
        let nodesClient = client.core.v1.nodes()
        var existing = nodeInformer.indexer.get(key: node.name)
        if existing == nil, readExisting {
            do {
                existing = try await nodesClient.get(node.name)
            } catch let error as APIError where error.isNotFound {
                existing = nil
            }
        }
        let podCIDR: String
        if let held = existing?.spec?.podCIDR, !held.isEmpty {
            podCIDR = held
        } else if let subnet = podCIDRs.allocate() {
            podCIDR = subnet.description
        } else {
            throw RuntimeError(.invalidState, "the cluster CIDR \(configuration.clusterCIDR) has no free /\(configuration.nodeMaskSize)")
        }
        guard let subnet = IPv4Subnet(podCIDR) else { throw RuntimeError(.invalidState, "node \(node.name) has a malformed podCIDR \(podCIDR)") }
        let subnetIndex = configuration.clusterCIDR.index(of: subnet) ?? 0
        var nodeConfiguration = configuration.node(named: node.name)
        if let port = serverPort.withLock({ $0 }) { nodeConfiguration.kubeletPort = Int64(port) }
        let builder = NodeStatusBuilder(
            name: node.name, internalIP: nodeConfiguration.address ?? configuration.nodeIPNetwork.address(at: UInt32(subnetIndex + 1)),
            podCIDR: podCIDR,
            configuration: nodeConfiguration, runtimeVersion: node.runtime.version)
        let registered: CoreV1.Node
        if var current = existing {
            // Upstream's kubelet keeps an existing Node and only brings its default labels (and here the pod CIDR) up to date.
            let labels = current.metadata?.labels ?? [:]
            let wanted = labels.merging(builder.defaultLabels) { _, kubelet in kubelet }
            var changed = wanted != labels
            current.metadata = current.metadata ?? ObjectMeta()
            current.metadata?.labels = wanted
            if current.spec?.podCIDR ?? "" == "" {
                current.spec = current.spec ?? CoreV1.NodeSpec()
                current.spec?.podCIDR = podCIDR
                current.spec?.podCIDRs = [podCIDR]
                changed = true
            }
            if changed {
                registered = try await nodesClient.update(current)
            } else {
                registered = current
            }
        } else {
            do {
                registered = try await nodesClient.create(builder.initialNode(now: clock.now))
            } catch let error as APIError where error.isAlreadyExists {
                // Created meanwhile (the cache lags): register the one that is there.
                podCIDRs.release(podCIDR)
                try await tryRegister(node, readExisting: true)
                return
            }
        }
        let ips = PodIPAllocator(subnet: subnet)
        node.registered(.init(builder: builder, ips: ips, uid: registered.metadata?.uid), node: registered, at: clock.now)
        await renewLease(node)
        logger.info("node registered", metadata: ["node": "\(node.name)", "podCIDR": "\(podCIDR)"])
    }
}
