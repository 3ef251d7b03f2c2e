import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient

/// Runs the controllers as one long-running service (upstream's kube-controller-manager): one
/// shared informer factory feeds them all, and every controller the selection enables (from the
/// descriptor table) runs as a `Service` in one `ServiceGroup` after the factory. Graceful
/// shutdown drains the controllers (in reverse order), then stops the informers; cancellation
/// stops everything at once.
public struct ControllerManager: Service {
    /// What the manager runs and how each controller is configured.
    public struct Configuration: Sendable {
        /// Which controllers run (`*`: all enabled by default).
        public var controllers = ControllerSelection.all
        public var garbageCollector = GarbageCollector.Configuration()
        public var replicaSet = ReplicaSetController.Configuration()
        public var replicationController = ReplicationManager.Configuration()
        public var deployment = DeploymentController.Configuration()
        public var job = JobController.Configuration()
        public var cronJob = CronJobController.Configuration()
        public var endpoints = EndpointsController.Configuration()
        public var endpointSlice = EndpointSliceController.Configuration()
        public var nodeLifecycle = NodeLifecycleController.Configuration()
        public var podGC = PodGCController.Configuration()
        public var statefulSet = StatefulSetController.Configuration()
        public var daemonSet = DaemonSetController.Configuration()
        public var horizontalPodAutoscaler = HorizontalPodAutoscalerController.Configuration()
        /// The cluster CA for `csrsigning`; without one that controller does not start.
        public var certificateSigning: CertificateSigningController.Configuration?
        /// Each controller acts as its own service account in `kube-system` (upstream's
        /// `--use-service-account-credentials`, so RBAC's `system:controller:*` roles apply);
        /// the shared informers keep the manager's own credentials. Skiff impersonates the
        /// accounts, which the manager's role allows, instead of requesting tokens for them.
        public var useServiceAccountCredentials = false
        /// The time source of every controller (a test's `ManualClock`).
        public var clock: any TimestampClock = SystemClock()

        /// Every controller, with its default configuration.
        public init() {}
    }

    private let configuration: Configuration
    private let descriptors: [ControllerDescriptor]
    private let client: KubernetesClient
    private let logger: Logger

    /// A manager of the controllers `descriptors` describes (the built-in ones by default), whose
    /// controllers talk to the server through `client`.
    public init(
        configuration: Configuration = Configuration(), descriptors: [ControllerDescriptor] = ControllerDescriptor.builtin,
        client: KubernetesClient, logger: Logger
    ) {
        self.configuration = configuration
        self.descriptors = descriptors
        self.client = client
        self.logger = logger
    }

    /// The descriptors of the controllers the configuration enables, in start order.
    public var enabledControllers: [ControllerDescriptor] {
        descriptors.filter(configuration.controllers.isEnabled)
    }

    /// Runs the informers and every enabled controller until graceful shutdown or cancellation.
    public func run() async throws {
        let informers = SharedInformerFactory(client: client, logger: logger)
        let enabled = enabledControllers
        var clients: [String: KubernetesClient] = [:]
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: informers, serviceName: "informers")]
        for descriptor in enabled {
            var controllerClient = client
            if configuration.useServiceAccountCredentials, let account = descriptor.serviceAccount {
                if clients[account] == nil { clients[account] = try Self.client(actingAs: account, like: client) }
                controllerClient = clients[account] ?? client
            }
            let context = ControllerContext(client: controllerClient, informers: informers, clock: configuration.clock, logger: logger)
            guard let service = descriptor.make(context, configuration) else {
                logger.info("skipping a controller its configuration cannot start", metadata: ["controller": "\(descriptor.name)"])
                continue
            }
            services.append(.init(service: service, serviceName: descriptor.name))
        }
        logger.info("starting controllers", metadata: ["controllers": "\(enabled.map(\.name))"])
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        do {
            try await group.run()
        } catch {
            for client in clients.values { try? await client.shutdown() }
            throw error
        }
        for client in clients.values { try? await client.shutdown() }
    }

    /// A client with `client`'s configuration that acts as the service account `account` of
    /// `kube-system`.
    private static func client(actingAs account: String, like client: KubernetesClient) throws -> KubernetesClient {
        var configuration = client.rest.configuration
        configuration.impersonate = .serviceAccount(account, namespace: "kube-system")
        return try KubernetesClient(configuration: configuration)
    }
}
