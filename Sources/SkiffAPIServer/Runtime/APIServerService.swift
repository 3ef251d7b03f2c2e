import Logging
import SkiffAPI
import SkiffAPIExtensions
import SkiffRegistry
import SkiffStorage

/// The whole API server as one long-running service: opens storage, registers the built-in
/// kinds, loads the caches, creates the objects every cluster starts with, and serves HTTP until
/// cancelled, then closes storage.
public struct APIServerService: Sendable {
    /// How to run the server.
    public struct Configuration: Sendable {
        /// A storage URL: `sqlite://PATH` or `memory://`.
        public var storageURL: String
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

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until cancelled. `onReady` is called with the bound port once `/readyz` answers ok.
    public func run(onReady: @escaping @Sendable (Int) async -> Void) async throws {
        let storage = try StorageURL.open(configuration.storageURL, logger: logger)
        try await BuiltinResources.repairAllocations(storage: storage)
        let registry = Registry(storage: storage, logger: logger)
        registry.register(CustomResourceDefinitionChecks.installed(in: BuiltinResources.entries(storage: storage)))
        let crdController = CustomResourceDefinitionController(registry: registry, logger: logger)
        let readiness = Readiness()
        let api = APIServer(registry: registry, readiness: readiness, logger: logger, options: configuration.server)
        let server = HTTPServer(configuration: configuration.http, logger: logger) { request in await api.handle(request) }
        let compactor = Compactor(storage: storage, interval: configuration.compactionInterval, logger: logger)
        do {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await registry.run() }
                group.addTask { try await compactor.run() }
                group.addTask { await crdController.run() }
                group.addTask {
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
            }
        } catch is CancellationError {
            // Shutdown requested.
        }
        try await storage.close()
    }
}
