import AsyncHTTPClient
import Foundation
import Logging
import NIOSSL
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// Skiff's built-in ingress controller (docs/ingress.md): it creates its IngressClass
/// (`skiff`, controller `skiff.dev/ingress`, the default when no other class is), serves the
/// Ingresses of that class with a reverse proxy on the node (HTTP; HTTPS with the certificates
/// of their TLS Secrets by SNI and HTTP/2 by ALPN; WebSocket upgrades), routing by host and path
/// to the ready endpoints of the backends' Services (read from informers at each request), and
/// writes the node's address into their `status.loadBalancer.ingress`.
///
/// A `Service`: graceful shutdown stops listening and lets requests in progress finish.
public struct IngressController: Service {
    let configuration: IngressConfiguration
    let client: KubernetesClient
    let clock: any TimestampClock
    let logger: Logger
    let onBound: @Sendable (_ http: Int, _ https: Int?) async -> Void

    /// A controller for the node `configuration` names; `onBound` learns the HTTP and HTTPS ports it listens on.
    public init(
        configuration: IngressConfiguration, client: KubernetesClient, clock: any TimestampClock = SystemClock(), logger: Logger,
        onBound: @escaping @Sendable (_ http: Int, _ https: Int?) async -> Void = { _, _ in }
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
        let factory = SharedInformerFactory(client: client, stripsManagedFields: true, logger: logger)
        let ingresses = factory.informer(for: NetworkingV1.Ingress.self)
        let classes = factory.informer(for: NetworkingV1.IngressClass.self)
        let services = factory.informer(for: CoreV1.Service.self)
        let slices = factory.informer(for: DiscoveryV1.EndpointSlice.self)
        let nodes = factory.informer(for: CoreV1.Node.self)
        let secrets = factory.informer(for: CoreV1.Secret.self)
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
        let served: @Sendable () -> [NetworkingV1.Ingress] = {
            let membership = IngressClassMembership(className: className, classes: classes.lister.list())
            return ingresses.lister.list().filter(membership.serves)
        }
        let router: @Sendable (String, String) -> RoutingDecision = { host, path in
            let route = RouteTable(ingresses: served()).route(host: host, path: path)
            guard let backend = route?.backend.service, let namespace = route?.namespace else {
                return RoutingDecision.make(route: route, service: nil, slices: [])
            }
            let serviceSlices = slices.lister.namespace(namespace).list(LabelSelector(matchLabels: [BackendEndpoints.serviceNameLabel: backend.name]))
            return RoutingDecision.make(route: route, service: services.lister.get("\(namespace)/\(backend.name)"), slices: serviceSlices)
        }
        let certificates = IngressCertificates(
            table: { IngressTLSTable(ingresses: served()) }, secret: { secrets.lister.get("\($0.namespace)/\($0.name)") }, logger: logger)
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled))
        let listeners: (http: IngressProxyServer.Listener, https: IngressProxyServer.Listener?)
        var https: IngressProxyServer.Listener?
        do {
            if let httpsPort = configuration.httpsPort {
                let now = clock.now
                let defaultCertificate = try IngressDefaultCertificate.make(now: Date(timeIntervalSince1970: TimeInterval(now.seconds)))
                https = try await bind(port: httpsPort, tls: try certificates.makeContext(defaultCertificate: defaultCertificate))
            }
            listeners = (try await bind(port: configuration.httpPort, tls: nil), https)
        } catch {
            try? await https?.channel.close()
            try await http.shutdown()
            throw error
        }
        let httpsPort = listeners.https.map { $0.channel.localAddress?.port ?? 0 }
        let server = IngressProxyServer(
            client: http, logger: logger, httpsPort: httpsPort, servesTLS: { IngressTLSTable(ingresses: served()).servesTLS(host: $0) }, route: router)
        let port = listeners.http.channel.localAddress?.port ?? configuration.httpPort
        logger.notice("ingress proxy listening", metadata: ["address": "\(configuration.host):\(port)", "https": "\(httpsPort.map(String.init) ?? "none")"])
        await onBound(port, httpsPort)
        await withDiscardingTaskGroup { group in
            group.addTask { await cancelWhenGracefulShutdown { await factory.run() } }
            group.addTask { await status.run() }
            for listener in [listeners.http] + (listeners.https.map { [$0] } ?? []) {
                group.addTask {
                    do {
                        try await server.serve(listener)
                    } catch {
                        logger.error("the ingress proxy stopped", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
        try await http.shutdown()
    }

    /// A listener on `port`, or on any free one if that is taken and the configuration allows it.
    private func bind(port: Int, tls: NIOSSLContext?) async throws -> IngressProxyServer.Listener {
        do {
            return try await IngressProxyServer.bind(host: configuration.host, port: port, tls: tls)
        } catch let error where configuration.anyPortIfTaken && port != 0 {
            logger.warning("the ingress port is taken, listening on any free port", metadata: ["port": "\(port)", "error": "\(error)"])
            return try await IngressProxyServer.bind(host: configuration.host, port: 0, tls: tls)
        }
    }
}
