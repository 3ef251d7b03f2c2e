import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import Synchronization
import SkiffModels

/// Runs the kubelets of one or many simulated nodes in one process, cheaply (kwok's approach):
/// one node informer, ONE pod informer for all of them (`spec.nodeName=<node>` for a single
/// node, else `spec.nodeName!=`) whose changes go to a shared pool of pod workers that act with
/// each pod's node's runtime and addresses, one HTTP connection pool (the client's), and per
/// node only a heartbeat loop (lease and status).
///
/// Each node registers as upstream's kubelet does (an existing Node is updated, not
/// recreated), then renews its Lease in `kube-node-lease` and recomputes its status every
/// `heartbeatInterval`, writing the status when it changed or every `statusReportFrequency`.
///
/// A `Service`: graceful shutdown, like cancellation, stops the heartbeats and pod workers and
/// leaves the pods running, as upstream's kubelet leaves its containers when it exits.
public final class KubeletHost: Service {
    let configuration: KubeletConfiguration
    let client: KubernetesClient
    let clock: any TimestampClock
    let jitter: @Sendable () -> Double
    let logger: Logger
    let nodes: [String: SimulatedNode]
    let podCIDRs: PodCIDRAllocator
    let nodeInformer: SharedInformer<CoreV1.Node>
    let podInformer: SharedInformer<CoreV1.Pod>
    /// The mirror pods of `configuration.staticPods`.
    let mirrorPods: MirrorPods
    /// The pod cache's index of pods by `spec.nodeName`.
    static let nodeNameIndex = "nodeName"
    /// The port `KubeletServer` listens on, once bound.
    let serverPort = Mutex<Int?>(nil)

    /// Kubelets for `configuration.nodeNames`, talking to the server through `client`, reading
    /// the time from `configuration.clock`; `jitter` (a number in 0..<1) spreads the nodes' heartbeats.
    public init(
        configuration: KubeletConfiguration, client: KubernetesClient,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger
    ) {
        self.configuration = configuration
        self.client = client
        let clock = configuration.clock
        self.clock = clock
        self.jitter = jitter
        self.logger = logger
        let events = EventRecorder(client: client.dynamic, component: "kubelet", clock: clock, logger: logger)
        let dns = PodDNSConfigurer(settings: configuration.dns)
        let reader = APIVolumeSourceReader(client: client, clock: clock)
        nodes = Dictionary(
            configuration.nodeNames.map { name in
                let node = configuration.node(named: name)
                let allocatable = node.allocatable
                let runtime = configuration.makeRuntime?(name) ?? SimulatedRuntime(clock: clock)
                let volumes = runtime.podsDirectory.map {
                    VolumeManager(podsDirectory: $0, reader: reader, nodeAllocatable: allocatable.filter { $0.key != "pods" }.mapValues(\.string))
                }
                // Only a node whose pods use this machine reads its signals and evicts.
                let eviction: EvictionManager? =
                    if let configuration = node.eviction, let directory = runtime.podsDirectory {
                        EvictionManager(configuration: configuration, dataDirectory: directory)
                    } else { nil }
                let claims: (any VolumeSourceReader)? = volumes == nil ? reader : nil
                let cgroups = runtime.cgroupRoot.map { PodCgroups(root: $0, pidsLimit: configuration.podPidsLimit) }
                return (
                    name,
                    SimulatedNode(
                        name: name, runtime: runtime, allocatable: ComputeResources(allocatable), eviction: eviction, events: events, dns: dns,
                        volumes: volumes, claims: claims, pullSecrets: runtime.runsProcesses ? reader : nil, cgroups: cgroups)
                )
            }, uniquingKeysWith: { first, _ in first })
        mirrorPods = MirrorPods(staticPods: configuration.staticPods, nodeName: configuration.nodeNames.first, seen: clock.now)
        podCIDRs = PodCIDRAllocator(clusterCIDR: configuration.clusterCIDR, nodeMaskSize: configuration.nodeMaskSize)
        var nodeLogger = logger
        nodeLogger[metadataKey: "resource"] = "nodes"
        nodeInformer = SharedInformer(
            source: client.core.v1.nodes().strippingManagedFields(), identity: .typed, indexer: Indexer(key: { $0.cacheKey }), logger: nodeLogger)
        var podSource = ReflectorConfiguration()
        podSource.fieldSelector = configuration.nodeNames.count == 1 ? "spec.nodeName=\(configuration.nodeNames[0])" : "spec.nodeName!="
        var podLogger = logger
        podLogger[metadataKey: "resource"] = "pods"
        podInformer = SharedInformer(
            source: client.core.v1.pods().strippingManagedFields(), identity: .typed,
            indexer: Indexer(key: { $0.cacheKey }, indexers: [Self.nodeNameIndex: { [$0.spec?.nodeName ?? ""] }]), configuration: podSource,
            logger: podLogger)
    }

    /// Registers the nodes, then heartbeats and runs their pods until graceful shutdown or
    /// cancellation. Then the heartbeats simply stop (the node-lifecycle controller notices
    /// later) and the pods stay as they are.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.runUntilCancelled() }
    }

    private func runUntilCancelled() async {
        let nodes = self.nodes
        let registration = nodeInformer.addHandler { event in
            if case .deleted(let deleted) = event { nodes[deleted.object.name]?.markGone() }
        }
        defer { nodeInformer.removeHandler(registration) }
        let pods = Controller(
            configuration: .init(name: "kubelet-pods", workers: configuration.podWorkers), informer: podInformer, key: { $0.cacheKey },
            reconciler: PodSync(host: self), clock: clock, logger: logger)
        await withDiscardingTaskGroup { group in
            group.addTask { await self.nodeInformer.run() }
            group.addTask { await self.podInformer.run() }
            let (bound, boundInput) = AsyncStream<Void>.makeStream()
            if let port = configuration.serverPort {
                group.addTask {
                    do {
                        try await KubeletServer(host: self, port: port).run { port in
                            self.serverPort.withLock { $0 = port }
                            boundInput.finish()
                        }
                    } catch {
                        self.logger.error("the kubelet server stopped", metadata: ["error": "\(error)"])
                        boundInput.finish()
                    }
                }
            } else {
                boundInput.finish()
            }
            group.addTask {
                // Nodes register once the server's port is known (they report it).
                for await _ in bound {}
                guard await self.registerAll() else { return }
                await self.removeOrphanedSandboxes()
                // A missing mirror pod has no event to queue its key.
                self.mirrorPods.keys.forEach(pods.queue.add)
                await withDiscardingTaskGroup { work in
                    // Pods are synced once every node is registered (a pod needs its node's addresses).
                    work.addTask { await pods.run() }
                    for node in nodes.values {
                        work.addTask { await self.heartbeat(node) }
                        if let manager = node.eviction {
                            work.addTask { await self.monitorEviction(node, manager: manager, enqueue: pods.queue.add) }
                        }
                    }
                }
            }
        }
        for node in nodes.values {
            // The containers keep their binds of a tmpfs unmounted here until they are stopped.
            await node.volumes?.shutdown()
            await node.runtime.shutdown()
            node.cgroups?.removeAll()
        }
    }

    /// Stops (false) or resumes (true) the lease renewals and status reports of one node, as
    /// if its kubelet hung; its pods keep running. Unknown names are ignored.
    public func setHeartbeats(_ enabled: Bool, node name: String) {
        nodes[name]?.setHeartbeats(enabled)
    }

    /// The runtime of one node (to inspect what runs there).
    public func runtime(node name: String) -> SimulatedRuntime? {
        nodes[name]?.runtime as? SimulatedRuntime
    }

    /// Whether every node has registered.
    public var allRegistered: Bool {
        nodes.values.allSatisfy { $0.registration != nil }
    }
}
