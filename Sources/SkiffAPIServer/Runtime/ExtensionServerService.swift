import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffRegistry
import SkiffStorage

/// An extension API server on Skiff's libraries (what upstream's `k8s.io/apiserver` is to its
/// sample-apiserver): the resources of `entries` served by the generic registry from a storage of
/// its own, over HTTPS. Requests are authenticated only by the front-proxy identity headers of
/// the aggregator (`RequestHeaderAuthenticator`: a client certificate of the front-proxy CA,
/// which the HTTPS configuration must trust); anything else is 401. The user is then authorized
/// by `authorizer` (upstream's servers ask the main server with a SubjectAccessReview).
public struct ExtensionServerService: Service {
    /// Where and how to serve; `tls.clientCAPEM` should be the front-proxy CA.
    let http: HTTPServer.Configuration
    /// The front-proxy CA, allowed names and header names to trust.
    let authentication: ExtensionAuthentication
    /// The resources served.
    let entries: [Registry.Entry]
    /// Where the objects are: `memory://` or `sqlite://PATH`, opened and closed by the server,
    /// or a storage of the caller's (which writes objects there itself).
    let storage: StorageSource
    let authorizer: any Authorizer
    let logger: Logger
    let onReady: @Sendable (Int) async -> Void

    /// A server of `entries`; `onReady` is called with the bound port once its caches loaded.
    public init(http: HTTPServer.Configuration, authentication: ExtensionAuthentication, entries: [Registry.Entry],
                storageURL: String = "memory://", authorizer: any Authorizer = AlwaysAllowAuthorizer(), logger: Logger,
                onReady: @escaping @Sendable (Int) async -> Void = { _ in }) {
        (self.http, self.authentication, self.entries, self.storage, self.authorizer) = (http, authentication, entries, .url(storageURL), authorizer)
        (self.logger, self.onReady) = (logger, onReady)
    }

    /// A server of `entries` from `storage`, which the caller fills and closes (metrics-server's
    /// objects, written at every scrape).
    public init(http: HTTPServer.Configuration, authentication: ExtensionAuthentication, entries: [Registry.Entry],
                storage: any Storage, authorizer: any Authorizer = AlwaysAllowAuthorizer(), logger: Logger,
                onReady: @escaping @Sendable (Int) async -> Void = { _ in }) {
        (self.http, self.authentication, self.entries, self.storage, self.authorizer) = (http, authentication, entries, .given(storage), authorizer)
        (self.logger, self.onReady) = (logger, onReady)
    }

    /// Where an extension server's objects are.
    enum StorageSource: Sendable {
        case url(String)
        case given(any Storage)
    }

    public func run() async throws {
        let storage: any Storage
        switch self.storage {
        case .url(let url): storage = try StorageURL.open(url, logger: logger)
        case .given(let given): storage = given
        }
        let registry = Registry(storage: storage, logger: logger)
        registry.register(entries)
        var options = APIServer.Options()
        options.authenticator = UnionAuthenticator([try RequestHeaderAuthenticator(authentication)])
        options.enabledAdmissionPlugins = []
        options.authorizer = { [authorizer] _ in authorizer }
        let readiness = Readiness()
        let api = APIServer(registry: registry, readiness: readiness, logger: logger, options: options)
        let server = HTTPServer(configuration: http, logger: logger) { request in await api.handle(request) }
        let (logger, onReady) = (logger, onReady)
        let serving = ClosureService {
            try await server.run { port in
                do {
                    try await registry.waitUntilReady()
                } catch {
                    logger.critical("the caches did not load", metadata: ["error": "\(error)"])
                    return
                }
                readiness.markReady()
                await onReady(port)
            }
        }
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: registry, serviceName: "watch-caches"), .init(service: serving, serviceName: "http")], logger: logger))
        do {
            try await services.run()
        } catch is CancellationError {
            // Cancelled.
        }
        if case .url = self.storage { try await storage.close() }
    }
}
