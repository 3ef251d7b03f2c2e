import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffRegistry

/// A real API server on a free loopback port with the components a test asks for, for the
/// duration of one `withCluster { cluster in … }` scope: the harness integration tests, and
/// controller authors' tests, run against.
///
/// The server stores in `memory://` unless told otherwise. Components (controllers, schedulers,
/// kubelets, informer factories…) run beside the body; at the end of the scope they shut down
/// gracefully first (in the reverse order they were given), then the cluster's client, then the
/// server, so nothing reconnects while the server stops.
public struct InProcessCluster: Sendable {
    /// How to start the cluster.
    public struct Options: Sendable {
        /// The server's storage: `memory://` (the default) or `sqlite://PATH` (for restart tests).
        public var storageURL = "memory://"
        /// The loopback port to listen on; 0 takes a free one.
        public var port = 0
        /// Whether the cluster's `clock` is a `ManualClock` the test advances (otherwise the system clock).
        public var manualClock = false
        /// Requests per second the cluster's client may send (0: unlimited, the right thing in tests).
        public var clientQPS: Double = 0
        /// The logger of the server and the components (by default, one that drops everything).
        public var logger = InProcessCluster.quietLogger
        /// How long components get to stop gracefully before they are cancelled.
        public var gracefulShutdownTimeout: Duration = .seconds(10)
        /// The server's watch caches: a read for a revision they have not seen yet waits up to
        /// 30 s here (3 s in a real server), since test machines run many servers at once.
        public var watchCache = InProcessCluster.testWatchCache

        /// The defaults: memory storage, a free port, the system clock, an unlimited client.
        public init() {}
    }

    /// The watch-cache tuning of test servers: upstream's, but a read for a future revision waits
    /// 30 s before `504 Timeout`, as a loaded test machine may take seconds to feed a cache.
    public static var testWatchCache: WatchCache.Configuration {
        var configuration = WatchCache.Configuration()
        configuration.freshnessTimeout = .seconds(30)
        return configuration
    }

    /// A logger that drops everything, the default of tests.
    public static let quietLogger = Logger(label: "skiff.test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A client of the server (unlimited by default), shut down at the end of the scope.
    public let client: KubernetesClient
    /// `http://127.0.0.1:PORT`.
    public let serverURL: String
    /// The bound port.
    public let port: Int
    /// The time source for components under test: `manualClock` when the options asked for one.
    public let clock: any TimestampClock
    /// The clock the test advances, when the options asked for a manual one.
    public let manualClock: ManualClock?
    /// The options' logger, for components.
    public let logger: Logger

    /// Starts a server (and `components`, made from the running cluster), runs `body`, then shuts
    /// everything down. A component that fails or returns while `body` runs ends the scope with
    /// its error (or `ComponentStopped`).
    public static func withCluster<Result: Sendable>(
        _ options: Options = Options(), components: [Component] = [],
        _ body: @escaping @Sendable (InProcessCluster) async throws -> Result
    ) async throws -> Result {
        let (ports, portInput) = AsyncStream<Int>.makeStream()
        var configuration = APIServerService.Configuration(
            storageURL: options.storageURL, http: .init(host: "127.0.0.1", port: options.port))
        configuration.watchCache = options.watchCache
        let server = APIServerService(configuration: configuration, logger: options.logger, onReady: { port in portInput.yield(port) })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portInput.finish() }
                try await server.run()
            }
            var bound = ports.makeAsyncIterator()
            guard let port = await bound.next() else {
                try await group.waitForAll()
                throw ServerDidNotStart()
            }
            let serverURL = "http://127.0.0.1:\(port)"
            var configuration = ClientConfiguration(server: serverURL)
            configuration.qps = options.clientQPS
            let client = try KubernetesClient(configuration: configuration)
            let manualClock = options.manualClock ? ManualClock() : nil
            let cluster = InProcessCluster(
                client: client, serverURL: serverURL, port: port, clock: manualClock ?? SystemClock(), manualClock: manualClock,
                logger: options.logger, gracefulShutdownTimeout: options.gracefulShutdownTimeout)
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await cluster.running(components) { try await body(cluster) })
            } catch {
                outcome = .failure(error)
            }
            try? await client.shutdown()
            group.cancelAll()
            try await group.waitForAll()
            return try outcome.get()
        }
    }

    /// Runs `components` while `body` runs, then shuts them down gracefully (reverse order,
    /// cancelled after the graceful-shutdown timeout). For components that need something the
    /// body also uses (a kubelet host the test inspects): make it from `client` first.
    public func running<Result: Sendable>(
        _ components: [Component], _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        guard !components.isEmpty else { return try await body() }
        var configuration = ServiceGroupConfiguration(
            services: components.map { .init(service: $0.make(self), serviceName: $0.name) }, logger: logger)
        configuration.maximumGracefulShutdownDuration = gracefulShutdownTimeout
        let services = ServiceGroup(configuration: configuration)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            group.addTask { try await body() }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw ComponentStopped() }
            guard let result = first else { throw ComponentStopped() }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }

    /// A further client of the server (with its own connection pool and limits), which the
    /// caller shuts down.
    public func makeClient(_ configure: (inout ClientConfiguration) -> Void = { _ in }) throws -> KubernetesClient {
        var configuration = ClientConfiguration(server: serverURL)
        configuration.qps = 0
        configure(&configuration)
        return try KubernetesClient(configuration: configuration)
    }

    let gracefulShutdownTimeout: Duration

    /// The server ended before it was ready.
    public struct ServerDidNotStart: Error, CustomStringConvertible {
        public var description: String { "the in-process API server stopped before it was ready" }
    }

    /// A component returned while the test still ran.
    public struct ComponentStopped: Error, CustomStringConvertible {
        public var description: String { "a component of the in-process cluster stopped while the test ran" }
    }
}
