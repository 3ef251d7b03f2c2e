import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffAPIExtensions
import SkiffRegistry
import SkiffStorage

/// The whole API server as one `Service`: opens storage, registers the built-in kinds, and runs
/// the registry's watch caches, the compactor and the HTTP server in one `ServiceGroup`; once
/// the caches are loaded it creates the objects every cluster starts with, marks `/readyz` ok and
/// calls `onReady`. Graceful shutdown stops the HTTP server first (watches end with their final
/// chunk, requests in flight finish), then the compactor and the caches; storage closes last.
/// Cancellation stops everything at once.
public struct APIServerService: Service {
    /// How to run the server.
    public struct Configuration: Sendable {
        /// A storage URL: `sqlite://PATH` or `memory://` (and whatever `openStorage` adds).
        public var storageURL: String
        /// Opens `storageURL`; the default knows `memory://` and `sqlite://` (the CLI adds `etcd://`).
        public var openStorage: @Sendable (_ url: String, _ logger: Logger) throws -> any Storage = { try StorageURL.open($0, logger: $1) }
        public var http: HTTPServer.Configuration
        /// How long history is kept before compaction (upstream compacts every 5 minutes).
        public var compactionInterval: Duration = .seconds(300)
        /// The request pipeline: authentication, authorization, audit, in-flight limits, admission plugins.
        public var server = APIServer.Options()

        public init(storageURL: String, http: HTTPServer.Configuration) {
            self.storageURL = storageURL
            self.http = http
        }
    }

    let configuration: Configuration
    let logger: Logger
    let onReady: @Sendable (Int) async -> Void

    /// A server run as `configuration` says; `onReady` is called with the bound port once
    /// `/readyz` answers ok.
    public init(configuration: Configuration, logger: Logger, onReady: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.onReady = onReady
    }

    /// Serves until graceful shutdown or cancellation, then closes storage.
    public func run() async throws {
        let storage = try configuration.openStorage(configuration.storageURL, logger)
        try await BuiltinResources.repairAllocations(storage: storage)
        let registry = Registry(storage: storage, logger: logger)
        registry.register(CustomResourceDefinitionChecks.installed(in: BuiltinResources.entries(storage: storage)))
        let crdController = CustomResourceDefinitionController(
            registry: registry, converter: ConversionWebhook(client: WebhookClient(registry: registry)), logger: logger)
        let readiness = Readiness()
        let api = APIServer(registry: registry, readiness: readiness, logger: logger, options: configuration.server)
        let server = HTTPServer(configuration: configuration.http, logger: logger) { request in await api.handle(request) }
        let compactor = Compactor(storage: storage, interval: configuration.compactionInterval, logger: logger)
        let http = ClosureService {
            try await server.run { port in
                do {
                    try await registry.waitUntilReady()
                    try await crdController.loadStored()
                    try await ClusterBootstrap(registry: registry, apiServerPort: port, logger: logger).run()
                    readiness.markReady()
                    await onReady(port)
                } catch {
                    logger.critical("the server could not get ready", metadata: ["error": "\(error)"])
                }
            }
        }
        let crds = ClosureService { await cancelWhenGracefulShutdown { await crdController.run() } }
        let aggregator = ClusterRoleAggregator(registry: registry, logger: logger)
        let aggregation = ClosureService { await cancelWhenGracefulShutdown { await aggregator.run() } }
        let availability = APIServiceAvailability(registry: registry, client: WebhookClient(registry: registry), clock: SystemClock(), logger: logger)
        let apiServices = ClosureService { await cancelWhenGracefulShutdown { await availability.run() } }
        // A group shuts down in reverse: the HTTP server first, the caches last.
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: registry, serviceName: "watch-caches"), .init(service: compactor, serviceName: "compactor"),
                    .init(service: crds, serviceName: "crd-controller"), .init(service: aggregation, serviceName: "clusterrole-aggregation"),
                    .init(service: apiServices, serviceName: "apiservice-availability"),
                    .init(service: http, serviceName: "http"),
                ],
                logger: logger))
        do {
            try await services.run()
        } catch is CancellationError {
            // Cancelled.
        }
        try await storage.close()
    }
}
