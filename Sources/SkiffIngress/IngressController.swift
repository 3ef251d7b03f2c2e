import AsyncHTTPClient
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// Skiff's built-in ingress controller (docs/ingress.md): it creates its IngressClass
/// (`skiff`, controller `skiff.dev/ingress`, the default when no other class is), serves the
/// Ingresses of that class with an HTTP reverse proxy on the node, routing by host and path to
/// the ready endpoints of the backends' Services (read from informers at each request), and
/// writes the node's address into their `status.loadBalancer.ingress`.
///
/// A `Service`: graceful shutdown stops listening and lets requests in progress finish.
public struct IngressController: Service {
    let configuration: IngressConfiguration
    let client: KubernetesClient
    let clock: any TimestampClock
    let logger: Logger
    let onBound: @Sendable (Int) async -> Void

    /// A controller for the node `configuration` names; `onBound` learns the HTTP port it listens on.
    public init(
        configuration: IngressConfiguration, client: KubernetesClient, clock: any TimestampClock = SystemClock(), logger: Logger,
        onBound: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.client = client
        self.clock = clock
        var logger = logger
        logger[metadataKey: "component"] = "ingress"
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        do {
            try await IngressClassSetup(configuration: configuration, client: client.networking.v1.ingressClasses()).ensure()
        } catch {
            logger.error("cannot create the IngressClass", metadata: ["class": "\(configuration.className)", "error": "\(error)"])
        }
        let factory = SharedInformerFactory(client: client, logger: logger)
        let ingresses = factory.informer(for: NetworkingV1.Ingress.self)
        let classes = factory.informer(for: NetworkingV1.IngressClass.self)
        let services = factory.informer(for: CoreV1.Service.self)
        let slices = factory.informer(for: DiscoveryV1.EndpointSlice.self)
        let nodes = factory.informer(for: CoreV1.Node.self)
        let status = Controller(
            configuration: .init(name: "ingress-status"), informer: ingresses, key: \.cacheKey,
            reconciler: IngressStatusReconciler(
                configuration: configuration, ingresses: ingresses.lister, classes: classes.lister, nodes: nodes.lister,
                client: client.networking.v1.ingresses()),
            clock: clock, logger: logger)
        let ingressLister = ingresses.lister
        // A class becoming the default (or not) changes which Ingresses are served.
        status.watch(classes) { _ in ingressLister.list().map(\.cacheKey) }
        let className = configuration.className
        let router: @Sendable (String, String) -> RoutingDecision = { host, path in
            let membership = IngressClassMembership(className: className, classes: classes.lister.list())
            let route = RouteTable(ingresses: ingresses.lister.list().filter(membership.serves)).route(host: host, path: path)
            guard let backend = route?.backend.service, let namespace = route?.namespace else {
                return RoutingDecision.make(route: route, service: nil, slices: [])
            }
            let serviceSlices = slices.lister.namespace(namespace).list(LabelSelector(matchLabels: [BackendEndpoints.serviceNameLabel: backend.name]))
            return RoutingDecision.make(route: route, service: services.lister.get("\(namespace)/\(backend.name)"), slices: serviceSlices)
        }
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled))
        let server: IngressProxyServer
        let listener: IngressProxyServer.Listener
        do {
            (server, listener) = try await bind(client: http, route: router)
        } catch {
            try await http.shutdown()
            throw error
        }
        let port = listener.channel.localAddress?.port ?? configuration.httpPort
        logger.notice("ingress proxy listening", metadata: ["address": "\(configuration.host):\(port)"])
        await onBound(port)
        await withDiscardingTaskGroup { group in
            group.addTask { await cancelWhenGracefulShutdown { await factory.run() } }
            group.addTask { await status.run() }
            group.addTask {
                do {
                    try await server.serve(listener)
                } catch {
                    logger.error("the ingress proxy stopped", metadata: ["error": "\(error)"])
                }
            }
        }
        try await http.shutdown()
    }

    /// The proxy, listening on the configured port, or on any free one if that is taken and the
    /// configuration allows it.
    private func bind(
        client: HTTPClient, route: @escaping @Sendable (String, String) -> RoutingDecision
    ) async throws -> (IngressProxyServer, IngressProxyServer.Listener) {
        let server = IngressProxyServer(host: configuration.host, port: configuration.httpPort, client: client, logger: logger, route: route)
        do {
            return (server, try await server.bind())
        } catch let error where configuration.anyPortIfTaken && configuration.httpPort != 0 {
            logger.warning("the ingress port is taken, listening on any free port", metadata: ["port": "\(configuration.httpPort)", "error": "\(error)"])
            let anyPort = IngressProxyServer(host: configuration.host, port: 0, client: client, logger: logger, route: route)
            return (anyPort, try await anyPort.bind())
        }
    }
}
