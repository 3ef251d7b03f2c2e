import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import Synchronization

/// Runs an operator's controllers (controller-runtime's manager): one client, one shared
/// informer factory every controller reads from (so two controllers watching pods share one
/// watch), event recorders, and, when asked, leader election so that only one replica of the
/// operator reconciles at a time. The work queues report metrics through swift-metrics (bootstrap a
/// backend to export them).
///
/// Controllers are added with `controller(for:)` before `run()`; `run()` is a
/// swift-service-lifecycle `Service`: graceful shutdown drains the controllers' queues, then
/// stops the informers.
public final class Manager: Service, Sendable {
    /// How the manager runs.
    public struct Options: Sendable {
        /// Names the operator: its events' `source.component`, its logs, its default lease name.
        public var name: String
        /// Watch only this namespace; every namespace when nil.
        public var namespace: String?
        /// Lead through a Lease before reconciling; nil runs at once (one replica). Leases are
        /// timed on the system clock.
        public var leaderElection: LeaderElector<SystemClock>.Configuration?
        /// The clock of the work queues' delays and of conditions' and events' times.
        public var clock: any TimestampClock = SystemClock()
        public var logger: Logger

        public init(
            name: String, namespace: String? = nil, leaderElection: LeaderElector<SystemClock>.Configuration? = nil, logger: Logger? = nil
        ) {
            self.name = name
            self.namespace = namespace
            self.leaderElection = leaderElection
            self.logger = logger ?? Logger(label: name)
        }
    }

    /// The client every controller writes through.
    public let client: KubernetesClient
    /// The informers every controller reads from.
    public let informers: SharedInformerFactory
    public let options: Options
    private let controllers = Mutex<[(name: String, service: any Service)]>([])

    public init(client: KubernetesClient, options: Options) {
        self.client = client
        self.options = options
        informers = SharedInformerFactory(client: client, namespace: options.namespace, logger: options.logger)
    }

    /// The shared informer of `type`'s objects.
    public func informer<Object: KubernetesObject>(for type: Object.Type) -> SharedInformer<Object> {
        informers.informer(for: type)
    }

    /// A lister of `type`'s objects, read from the shared informer's cache.
    public func lister<Object: KubernetesObject>(for type: Object.Type) -> TypedLister<Object> {
        informers.informer(for: type).lister
    }

    /// A typed client of `type`'s objects (all namespaces, or `namespace`).
    public func client<Object: KubernetesObject>(for type: Object.Type, namespace: String? = nil) -> ResourceClient<Object> {
        client.resource(type, namespace: namespace)
    }

    /// An event recorder that writes events from `component` (the operator's name by default).
    public func eventRecorder(component: String? = nil) -> EventRecorder {
        EventRecorder(client: client.dynamic, component: component ?? options.name, clock: options.clock, logger: options.logger)
    }

    /// Starts describing a controller of `type`'s objects; `complete(_:)` adds it.
    public func controller<Resource: KubernetesObject>(for type: Resource.Type, name: String? = nil) -> ControllerBuilder<Resource> {
        ControllerBuilder(manager: self, name: name ?? Resource.resource)
    }

    func add(_ service: any Service, name: String) {
        controllers.withLock { $0.append((name, service)) }
    }

    /// Runs the informers and the controllers (while leading, when leader election is on).
    public func run() async throws {
        let services = [ServiceGroupConfiguration.ServiceConfiguration(service: informers, serviceName: "informers")]
            + controllers.withLock { $0 }.map { .init(service: $0.service, serviceName: $0.name) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: options.logger))
        guard let election = options.leaderElection else {
            try await group.run()
            return
        }
        try await LeaderElectedService(group, election: election, client: client.dynamic, clock: SystemClock(), logger: options.logger).run()
    }
}
