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
        let context = ControllerContext(client: client, informers: informers, clock: configuration.clock, logger: logger)
        let enabled = enabledControllers
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: informers, serviceName: "informers")]
        services += enabled.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0.make(context, configuration), serviceName: $0.name) }
        logger.info("starting controllers", metadata: ["controllers": "\(enabled.map(\.name))"])
        try await ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger)).run()
    }
}
