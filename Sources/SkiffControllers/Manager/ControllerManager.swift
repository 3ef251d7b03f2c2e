import Logging
import SkiffAPI
import SkiffClient

/// Runs the controllers as one long-running service (upstream's kube-controller-manager):
/// one shared informer factory feeds them all, and every controller runs in the same task
/// group until the task is cancelled.
public struct ControllerManager: Sendable {
    /// The controllers a manager can run, by upstream's names.
    public enum ControllerName: String, Sendable, CaseIterable {
        case namespace
        case serviceAccount = "serviceaccount"
        case garbageCollector = "garbagecollector"
        case replicaSet = "replicaset"
        case deployment
        case job
        case cronJob = "cronjob"
        case ttlAfterFinished = "ttl-after-finished"
        case endpoints = "endpoint"
        case endpointSlice = "endpointslice"
        case nodeLifecycle = "nodelifecycle"
        case taintEviction = "taint-eviction-controller"
        case podGC = "podgc"
        case statefulSet = "statefulset"
        case daemonSet = "daemonset"
    }

    public struct Configuration: Sendable {
        /// Which controllers run (all by default).
        public var controllers = Set(ControllerName.allCases)
        public var garbageCollector = GarbageCollector.Configuration()
        public var replicaSet = ReplicaSetController.Configuration()
        public var deployment = DeploymentController.Configuration()
        public var job = JobController.Configuration()
        public var cronJob = CronJobController.Configuration()
        public var endpoints = EndpointsController.Configuration()
        public var endpointSlice = EndpointSliceController.Configuration()
        public var nodeLifecycle = NodeLifecycleController.Configuration()
        public var podGC = PodGCController.Configuration()
        public var statefulSet = StatefulSetController.Configuration()
        public var daemonSet = DaemonSetController.Configuration()
        /// The time source of every controller (a test's `ManualClock`).
        public var clock: any TimestampClock = SystemClock()

        public init() {}
    }

    private let configuration: Configuration
    private let client: KubernetesClient
    private let logger: Logger

    /// A manager whose controllers talk to the server through `client`.
    public init(configuration: Configuration = Configuration(), client: KubernetesClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    /// Runs the informers and every configured controller until cancelled.
    public func run() async {
        let informers = SharedInformerFactory(client: client, logger: logger)
        let context = ControllerContext(client: client, informers: informers, clock: configuration.clock, logger: logger)
        var services: [@Sendable () async -> Void] = []
        for name in ControllerName.allCases where configuration.controllers.contains(name) {
            switch name {
            case .namespace:
                let controller = NamespaceController(context: context)
                services.append { await controller.run() }
            case .serviceAccount:
                let controller = ServiceAccountController(context: context)
                services.append { await controller.run() }
            case .garbageCollector:
                let collector = GarbageCollector(context: context, configuration: configuration.garbageCollector)
                services.append { await collector.run() }
            case .replicaSet:
                let controller = ReplicaSetController(context: context, configuration: configuration.replicaSet)
                services.append { await controller.run() }
            case .deployment:
                let controller = DeploymentController(context: context, configuration: configuration.deployment)
                services.append { await controller.run() }
            case .job:
                let controller = JobController(context: context, configuration: configuration.job)
                services.append { await controller.run() }
            case .cronJob:
                let controller = CronJobController(context: context, configuration: configuration.cronJob)
                services.append { await controller.run() }
            case .ttlAfterFinished:
                let controller = TTLAfterFinishedController(context: context)
                services.append { await controller.run() }
            case .endpoints:
                let controller = EndpointsController(context: context, configuration: configuration.endpoints)
                services.append { await controller.run() }
            case .endpointSlice:
                let controller = EndpointSliceController(context: context, configuration: configuration.endpointSlice)
                services.append { await controller.run() }
            case .nodeLifecycle:
                let controller = NodeLifecycleController(context: context, configuration: configuration.nodeLifecycle)
                services.append { await controller.run() }
            case .taintEviction:
                let controller = TaintEvictionController(context: context)
                services.append { await controller.run() }
            case .podGC:
                let controller = PodGCController(context: context, configuration: configuration.podGC)
                services.append { await controller.run() }
            case .statefulSet:
                let controller = StatefulSetController(context: context, configuration: configuration.statefulSet)
                services.append { await controller.run() }
            case .daemonSet:
                let controller = DaemonSetController(context: context, configuration: configuration.daemonSet)
                services.append { await controller.run() }
            }
        }
        logger.info("starting controllers", metadata: ["controllers": "\(configuration.controllers.map(\.rawValue).sorted())"])
        await withDiscardingTaskGroup { group in
            group.addTask { await informers.run() }
            for service in services {
                group.addTask { await service() }
            }
        }
    }
}
