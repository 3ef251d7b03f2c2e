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
        /// How objects are written to storage (upstream's `--storage-media-type`).
        public var storageMediaType: StorageMediaType = .json
        /// What each resource's values go through at rest (`--encryption-provider-config`); nil: as serialized.
        public var storageTransformers: @Sendable (GroupResource) -> (any ValueTransformer)? = { _ in nil }
        public var http: HTTPServer.Configuration
        /// How long history is kept before compaction (upstream compacts every 5 minutes).
        public var compactionInterval: Duration = .seconds(300)
        /// The watch caches' tuning (history kept, watcher buffers, how long a read waits for a
        /// revision the cache has not seen yet).
        public var watchCache = WatchCache.Configuration()
        /// The request pipeline: authentication, authorization, audit, in-flight limits, admission plugins.
        public var server = APIServer.Options()
        /// The address the `kubernetes` service's endpoints list for this server, kept by the lease
        /// endpoint reconciler (upstream's `--advertise-address` with `--endpoint-reconciler-type=lease`);
        /// nil: no reconciler (`--endpoint-reconciler-type=none`).
        public var advertiseAddress: String?

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
        let parts = try await assemble()
        let server = HTTPServer(configuration: configuration.http, logger: logger) { request in await parts.api.handle(request) }
        let http = ClosureService {
            try await server.run { port in
                guard await parts.prepare(port) else { return }
                await onReady(port)
            }
        }
        // A group shuts down in reverse: the HTTP server first, the caches last.
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: parts.services + [.init(service: http, serviceName: "http")], logger: logger))
        do {
            try await services.run()
        } catch is CancellationError {
            // Cancelled.
        }
        try await parts.storage.close()
    }

    /// What a server runs behind its front door (a socket, or a caller in the same process).
    struct Parts {
        let storage: any Storage
        let api: APIServer
        /// The watch caches, the compactor and the controllers inside the server, in start order.
        let services: [ServiceGroupConfiguration.ServiceConfiguration]
        /// Waits for the caches, loads the stored CRDs, creates the bootstrap objects (the
        /// `kubernetes` service on `port`) and marks the server ready; false when that failed.
        let prepare: @Sendable (_ port: Int) async -> Bool
    }

    /// Opens storage and builds the registry, the request handler and the services beside them.
    func assemble() async throws -> Parts {
        let storage = try configuration.openStorage(configuration.storageURL, logger)
        try await BuiltinResources.repairAllocations(storage: storage)
        let registry = Registry(storage: storage, storageMediaType: configuration.storageMediaType,
                                transformers: configuration.storageTransformers, cacheConfiguration: configuration.watchCache,
                                logger: logger)
        registry.register(CustomResourceDefinitionChecks.installed(in: BuiltinResources.entries(storage: storage)))
        let crdController = CustomResourceDefinitionController(
            registry: registry, converter: ConversionWebhook(client: WebhookClient(registry: registry)), logger: logger)
        let readiness = Readiness()
        let api = APIServer(registry: registry, readiness: readiness, logger: logger, options: configuration.server)
        let compactor = Compactor(storage: storage, interval: configuration.compactionInterval, logger: logger)
        let crds = ClosureService { await cancelWhenGracefulShutdown { await crdController.run() } }
        let aggregator = ClusterRoleAggregator(registry: registry, logger: logger)
        let aggregation = ClosureService { await cancelWhenGracefulShutdown { await aggregator.run() } }
        let availability = APIServiceAvailability(registry: registry, client: WebhookClient(registry: registry), discovery: api.extensionDiscovery,
                                                  identity: configuration.server.proxyClientIdentity, clock: SystemClock(), logger: logger)
        let apiServices = ClosureService { await cancelWhenGracefulShutdown { await availability.run() } }
        let extensionOpenAPI = ExtensionOpenAPIController(registry: registry, client: WebhookClient(registry: registry), documents: api.extensionOpenAPI,
                                                          identity: configuration.server.proxyClientIdentity, clock: SystemClock(), logger: logger)
        let openAPIAggregation = ClosureService { await cancelWhenGracefulShutdown { await extensionOpenAPI.run() } }
        let crdAPIServices = CustomResourceAPIServices(registry: registry, clock: SystemClock(), logger: logger)
        let crdRegistration = ClosureService { await cancelWhenGracefulShutdown { await crdAPIServices.run() } }
        let policyStatus = PolicyStatusController(registry: registry, clock: SystemClock(), logger: logger)
        let policyTypeChecking = ClosureService { await cancelWhenGracefulShutdown { await policyStatus.run() } }
        let (boundPorts, portBound) = AsyncStream<Int>.makeStream()
        let logger = logger
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: registry, serviceName: "watch-caches"), .init(service: compactor, serviceName: "compactor"),
            .init(service: crds, serviceName: "crd-controller"), .init(service: aggregation, serviceName: "clusterrole-aggregation"),
            .init(service: apiServices, serviceName: "apiservice-availability"),
            .init(service: openAPIAggregation, serviceName: "openapi-aggregation"),
            .init(service: crdRegistration, serviceName: "crd-registration"),
            .init(service: policyTypeChecking, serviceName: "validatingadmissionpolicy-status"),
        ]
        if let advertiseAddress = configuration.advertiseAddress {
            // Publishes the port the server is bound to, once it is ready.
            let endpoints = ClosureService {
                guard let port = await cancelWhenGracefulShutdown({ await boundPorts.first { _ in true } }) else { return }
                let reconciler = LeaseEndpointReconciler(registry: registry, configuration: .init(advertiseAddress: advertiseAddress, port: port), logger: logger)
                await reconciler.run()
            }
            services.append(.init(service: endpoints, serviceName: "endpoint-reconciler"))
        }
        if let sink = configuration.server.auditSink {
            // First in, so shut down last: the events of the last requests are still written.
            services.insert(.init(service: ClosureService { await sink.run() }, serviceName: "audit-log"), at: 0)
        }
        if configuration.server.enablePriorityAndFairness {
            let maintainer = FlowSchemaStatusMaintainer(registry: registry, clock: configuration.server.clock, logger: logger)
            services.append(.init(service: ClosureService { await cancelWhenGracefulShutdown { await maintainer.run() } },
                                  serviceName: "flowschema-status"))
        }
        return Parts(
            storage: storage, api: api, services: services,
            prepare: { port in
                do {
                    try await registry.waitUntilReady()
                    try await crdController.loadStored()
                    try await ClusterBootstrap(registry: registry, apiServerPort: port, ensuresFlowControl: configuration.server.enablePriorityAndFairness,
                                               logger: logger, extensionAuthentication: configuration.server.extensionAuthentication).run()
                    readiness.markReady()
                    portBound.yield(port)
                    return true
                } catch {
                    logger.critical("the server could not get ready", metadata: ["error": "\(error)"])
                    return false
                }
            })
    }
}
