import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Gives LoadBalancer Services an address where no cloud does (k3s' servicelb; upstream's cloud
/// controller manager's `service-lb-controller`): `status.loadBalancer.ingress` lists the
/// InternalIP of every Ready node, on which the service proxy answers for the service's ports.
/// A service that stops being a LoadBalancer loses the addresses; services with a
/// `loadBalancerClass` belong to another implementation and are left alone.
public struct ServiceLoadBalancerController: Sendable {
    private let controller: Controller<CoreV1.Service>

    public init(context: ControllerContext) {
        let services = context.informers.informer(for: CoreV1.Service.self)
        let nodes = context.informers.informer(for: CoreV1.Node.self)
        let sync = Sync(services: services.lister, nodes: nodes.lister, client: context.client.core.v1.services())
        controller = Controller(
            configuration: .init(name: "service-lb"), informer: services, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "service-lb"))
        let serviceLister = services.lister
        // A node becoming Ready or not changes every LoadBalancer's addresses.
        controller.watch(nodes) { _ in serviceLister.list().filter { $0.spec?.type == "LoadBalancer" }.map(\.cacheKey) }
    }

    /// Reconciles services until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let services: TypedLister<CoreV1.Service>
        let nodes: TypedLister<CoreV1.Node>
        let client: ResourceClient<CoreV1.Service>

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let service = services.get(key), service.spec?.loadBalancerClass == nil else { return .done }
            let current = service.status?.loadBalancer?.ingress ?? []
            let wanted = service.spec?.type == "LoadBalancer" ? ingress() : []
            guard current.map(\.ip) != wanted.map(\.ip) else { return .done }
            var updated = service
            var status = updated.status ?? CoreV1.ServiceStatus()
            status.loadBalancer = CoreV1.LoadBalancerStatus(ingress: wanted.isEmpty ? nil : wanted)
            updated.status = status
            do {
                _ = try await client.namespace(service.namespace).updateStatus(updated)
                logger.debug("set load balancer ingress", metadata: ["ingress": "\(wanted.compactMap(\.ip))"])
            } catch let error as APIError where error.isNotFound {
                return .done
            }
            return .done
        }

        /// The Ready nodes' InternalIPs, sorted, as VIPs.
        private func ingress() -> [CoreV1.LoadBalancerIngress] {
            let addresses = nodes.list().filter { node in
                node.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
            }.compactMap { node in node.status?.addresses?.first { $0.type == "InternalIP" }?.address }
            return Set(addresses).sorted().map { CoreV1.LoadBalancerIngress(ip: $0, ipMode: "VIP") }
        }
    }
}
