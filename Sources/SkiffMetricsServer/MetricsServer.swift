import AsyncHTTPClient
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffModels
import SkiffStorage

/// metrics-server on Skiff's libraries: every `resolution` it scrapes each node's kubelet
/// (`/metrics/resource`), keeps the last two readings of every node and container
/// (`UsageHistory`), and serves `metrics.k8s.io/v1beta1` `nodes` and `pods` (CPU as the rate
/// between two readings, memory as the last working set, labels from the nodes and pods it
/// watches) as an extension server behind the aggregator (`ExtensionServerService`: front-proxy
/// authentication, delegated authorization). The objects live in a memory storage of its own,
/// rewritten after each round, so lists, gets, label selectors and tables are the generic
/// registry's.
public struct MetricsServer: Service {
    public struct Configuration: Sendable {
        /// How often nodes are scraped (metrics-server's `--metric-resolution`).
        public var resolution: Duration = .seconds(15)
        /// Where the kubelets serve (Skiff's serve on loopback).
        public var kubeletHost = "127.0.0.1"
        public var clock: any TimestampClock = SystemClock()

        public init() {}
    }

    let configuration: Configuration
    let client: KubernetesClient
    let logger: Logger
    /// Serves the objects from a storage; made in `run`.
    let serving: @Sendable (any Storage) -> ExtensionServerService

    /// A server scraping through `client`'s cluster; `serving` makes the HTTPS server of a
    /// storage (see `ExtensionServerService.init(http:authentication:entries:storage:…)`).
    public init(configuration: Configuration, client: KubernetesClient, logger: Logger,
                serving: @escaping @Sendable (any Storage) -> ExtensionServerService) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.serving = serving
    }

    public func run() async throws {
        let storage = MemoryStorage()
        let server = serving(storage)
        let nodes = SharedInformer(source: client.core.v1.nodes().strippingManagedFields(), identity: .typed, indexer: Indexer(key: { $0.cacheKey }), logger: logger)
        let pods = SharedInformer(source: client.core.v1.pods().strippingManagedFields(), identity: .typed, indexer: Indexer(key: { $0.cacheKey }), logger: logger)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let scraper = KubeletScraper(http: http, host: configuration.kubeletHost, timeout: min(configuration.resolution, .seconds(10)),
                                     clock: configuration.clock)
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.run() }
                group.addTask { await nodes.run() }
                group.addTask { await pods.run() }
                group.addTask {
                    guard await nodes.waitForCacheSync(), await pods.waitForCacheSync() else { return }
                    await scrapeRounds(scraper: scraper, nodes: nodes, pods: pods, storage: storage)
                }
            }
        }
        try? await http.shutdown()
        try? await storage.close()
    }

    private func scrapeRounds(scraper: KubeletScraper, nodes: SharedInformer<CoreV1.Node>, pods: SharedInformer<CoreV1.Pod>,
                              storage: any Storage) async {
        var history = UsageHistory(resolution: configuration.resolution)
        var writer = MetricsObjectWriter(storage: storage)
        let clock = configuration.clock
        while !Task.isCancelled {
            let started = clock.now
            let nodeList = nodes.indexer.list()
            for (name, scrape) in await scrapeAll(nodeList, scraper: scraper) { history.record(scrape, node: name) }
            history.keepNodes(Set(nodeList.map(\.name)))
            do {
                try await writer.write(Self.objects(history: history, nodes: nodeList, pods: pods.indexer, now: clock.now))
            } catch {
                logger.error("cannot store the metrics", metadata: ["error": "\(error)"])
            }
            do { try await clock.sleep(until: started.advanced(by: configuration.resolution), tolerance: nil) } catch { return }
        }
    }

    /// Every node's scrape that answered; failures are logged (a node's last readings stay).
    private func scrapeAll(_ nodes: [CoreV1.Node], scraper: KubeletScraper) async -> [(String, NodeScrape)] {
        await withTaskGroup(of: (String, NodeScrape)?.self) { group in
            for node in nodes {
                guard let port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port, port > 0 else { continue }
                group.addTask {
                    do {
                        return (node.name, try await scraper.scrape(node: node.name, port: Int(port)))
                    } catch {
                        logger.warning("failed to scrape node", metadata: ["node": "\(node.name)", "error": "\(error)"])
                        return nil
                    }
                }
            }
            var scrapes: [(String, NodeScrape)] = []
            for await scrape in group { if let scrape { scrapes.append(scrape) } }
            return scrapes
        }
    }

    /// The objects to serve by storage key: a `NodeMetrics` per node with a usage, a `PodMetrics`
    /// per known pod whose containers all have one (in the pod's container order).
    static func objects(history: UsageHistory, nodes: [CoreV1.Node], pods: Indexer<CoreV1.Pod>, now: Timestamp) -> [String: JSONValue] {
        var objects: [String: JSONValue] = [:]
        for node in nodes {
            guard let usage = history.node(node.name) else { continue }
            objects[MetricsResources.nodes.key(namespace: nil, name: node.name)] =
                MetricsResources.nodeMetrics(name: node.name, labels: node.metadata?.labels ?? [:], usage: usage, now: now)
        }
        for (key, containers) in history.pods {
            guard let pod = pods.get(key: "\(key.namespace)/\(key.name)") else { continue }
            let order = (pod.spec?.containers ?? []).map(\.name)
            let sorted = containers.sorted { (order.firstIndex(of: $0.key) ?? .max, $0.key) < (order.firstIndex(of: $1.key) ?? .max, $1.key) }
            objects[MetricsResources.pods.key(namespace: key.namespace, name: key.name)] = MetricsResources.podMetrics(
                namespace: key.namespace, name: key.name, labels: pod.metadata?.labels ?? [:], containers: sorted.map { (name: $0.key, usage: $0.value) }, now: now)
        }
        return objects
    }
}
