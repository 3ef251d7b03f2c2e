import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffRegistry

/// Upstream's lease endpoint reconciler (`--endpoint-reconciler-type=lease`, the default): every
/// API server renews its record under `/registry/masterleases/` (`MasterLeases`) every 10 s,
/// valid 15 s, and sets the `kubernetes` Endpoints and EndpointSlice in `default` to the
/// addresses of all live records, so the service lists every running API server. A server that
/// stops removes its record and reconciles once more; one that dies drops out when its record
/// expires. As upstream, an empty list never erases the endpoints (the last server leaves them).
public struct LeaseEndpointReconciler: Service {
    /// What the reconciler publishes, and how often.
    public struct Configuration: Sendable {
        /// The IP other members reach this server at (upstream's `--advertise-address`).
        public var advertiseAddress: String
        /// The port it serves on: the endpoints' `https` port.
        public var port: Int
        /// How often the record is renewed and the endpoints reconciled (upstream: 10 s).
        public var interval: Duration = .seconds(10)
        /// How long a record lives without renewal (upstream: 15 s).
        public var ttl: Duration = .seconds(15)
        public var clock: any TimestampClock = SystemClock()

        public init(advertiseAddress: String, port: Int) {
            self.advertiseAddress = advertiseAddress
            self.port = port
        }
    }

    let registry: Registry
    let configuration: Configuration
    let logger: Logger

    public init(registry: Registry, configuration: Configuration, logger: Logger) {
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
    }

    private var leases: MasterLeases { MasterLeases(storage: registry.storage, ttl: configuration.ttl) }

    /// Reconciles every interval until graceful shutdown (then removes this server's record and
    /// reconciles once more) or cancellation (then stops at once).
    public func run() async {
        try? await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await reconcile()
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("could not reconcile the kubernetes service's endpoints", metadata: ["error": "\(error)"])
                }
                try await configuration.clock.sleep(for: configuration.interval)
            }
        }
        guard !Task.isCancelled else { return }
        do {
            try await leases.remove(configuration.advertiseAddress)
            try await publish(leases.live(now: configuration.clock.now))
        } catch {
            logger.warning("could not remove this server from the kubernetes service's endpoints", metadata: ["error": "\(error)"])
        }
    }

    /// Renews this server's record, then publishes every live record's address.
    func reconcile() async throws {
        try await leases.renew(configuration.advertiseAddress, now: configuration.clock.now)
        try await publish(leases.live(now: configuration.clock.now))
    }

    /// Sets the `kubernetes` Endpoints and EndpointSlice to `addresses` (unless there are none).
    private func publish(_ addresses: [String]) async throws {
        guard !addresses.isEmpty else { return }
        let port: JSONValue = ["name": "https", "port": .int(Int64(configuration.port)), "protocol": "TCP"]
        let endpoints: JSONValue = [
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["endpointslice.kubernetes.io/skip-mirror": "true"]],
            "subsets": [["addresses": .array(addresses.map { ip -> JSONValue in ["ip": .string(ip)] }), "ports": [port]]],
        ]
        let slice: JSONValue = [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["kubernetes.io/service-name": "kubernetes"]],
            "addressType": "IPv4",
            "endpoints": .array(addresses.map { ip -> JSONValue in ["addresses": [.string(ip)], "conditions": ["ready": true]] }),
            "ports": [port],
        ]
        try await write(endpoints, to: GroupResource(group: "", resource: "endpoints"))
        try await write(slice, to: GroupResource(group: "discovery.k8s.io", resource: "endpointslices"))
    }

    /// Creates `object` or replaces the stored one (an update that changes nothing writes nothing).
    private func write(_ object: JSONValue, to resource: GroupResource) async throws {
        guard let store = registry.store(for: resource) else { return }
        do {
            _ = try await store.update(namespace: "default", name: "kubernetes", object: object)
        } catch let error as APIError where error.reason == .notFound {
            do {
                _ = try await store.create(namespace: "default", object: object)
            } catch let error as APIError where error.reason == .alreadyExists {
                // Another server created it first; the next round updates it.
            }
        }
    }
}
