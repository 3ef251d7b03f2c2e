import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Keeps the `discovery.k8s.io/v1` EndpointSlices of every Service with a selector (upstream's
/// endpointslice controller): IPv4 slices named `<service>-<5 random characters>`, labelled with
/// the service name and this controller as their manager, owned by the service, at most
/// `maxEndpointsPerSlice` endpoints each with their ready/serving/terminating conditions, node
/// and zone; one slice per set of resolved ports; slices are reused so that a change writes as
/// few slices as possible; a service without endpoints keeps one empty placeholder slice.
public struct EndpointSliceController: Sendable {
    public struct Configuration: Sendable {
        /// Services synced at the same time (upstream's `--concurrent-service-endpoint-syncs`).
        public var workers = 5
        /// Upstream's `--max-endpoints-per-slice`.
        public var maxEndpointsPerSlice = 100

        public init() {}
    }

    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let managerName = "endpointslice-controller.k8s.io"
    static let serviceNameLabel = "kubernetes.io/service-name"

    private let controller: Controller<CoreV1.Service>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let services = context.informers.informer(for: CoreV1.Service.self)
        let pods = context.informers.informer(for: CoreV1.Pod.self)
        let slices = context.informers.informer(for: DiscoveryV1.EndpointSlice.self)
        let nodes = context.informers.informer(for: CoreV1.Node.self)
        let sync = EndpointSliceSync(
            services: services.lister, pods: pods.lister, slices: slices.lister, nodes: nodes.lister,
            client: context.client.discoveryGroup.v1.endpointSlices(), maxEndpointsPerSlice: configuration.maxEndpointsPerSlice)
        controller = Controller(
            configuration: .init(name: "endpointslice", workers: configuration.workers), informer: services, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "endpointslice"))
        let serviceLister = services.lister
        controller.watch(pods) { pod in EndpointsController.services(selecting: pod, in: serviceLister) }
        controller.watch(slices) { slice in
            let labels = slice.metadata?.labels ?? [:]
            guard labels[Self.managedByLabel] == Self.managerName, let service = labels[Self.serviceNameLabel] else { return [] }
            return [ObjectKey.make(namespace: slice.namespace, name: service)]
        }
    }

    /// Syncs services until cancelled.
    public func run() async {
        await controller.run()
    }
}
