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
        /// Where the local-path provisioner makes volumes; without it that controller does not start.
        public var localPath: LocalPathProvisioner.Configuration?
        /// Each controller acts as its own service account in `kube-system` (upstream's
        /// `--use-service-account-credentials`, so RBAC's `system:controller:*` roles apply);
        /// the shared informers keep the manager's own credentials. Each controller's client
        /// sends a token of its account, requested and renewed through the TokenRequest API.
        public var useServiceAccountCredentials = false
        /// The key and CA the `serviceaccount-token-controller` fills token secrets with; nil
        /// leaves that controller off (upstream starts it only with a private key file).
        public var serviceAccountTokens: ServiceAccountTokenController.Configuration?
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
        descriptors.filter(configuration.controllers.isEnabled).filter {
            $0.name != ControllerDescriptor.serviceAccountToken.name || configuration.serviceAccountTokens != nil
        }
    }

    /// Runs the informers and every enabled controller until graceful shutdown or cancellation.
    public func run() async throws {
        let informers = SharedInformerFactory(client: client, stripsManagedFields: true, logger: logger)
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
        let outcome: Result<Void, any Error>
        do {
            outcome = .success(try await group.run())
        } catch {
            outcome = .failure(error)
        }
        for client in clients.values { try? await client.shutdown() }
        try outcome.get()
    }

    /// A client with `client`'s server and trust but none of its credentials, authenticated by
    /// tokens of the service account `account` of `kube-system` (upstream's anonymous client
    /// config with a token source).
    private static func client(actingAs account: String, like client: KubernetesClient) throws -> KubernetesClient {
        var configuration = client.rest.configuration
        configuration.clientCertificatePEM = nil
        configuration.clientKeyPEM = nil
        configuration.bearerToken = nil
        configuration.bearerTokenFile = nil
        configuration.username = nil
        configuration.password = nil
        configuration.impersonate = nil
        configuration.bearerTokenSource = ServiceAccountTokenSource(account: account, client: client)
        return try KubernetesClient(configuration: configuration)
    }
}
