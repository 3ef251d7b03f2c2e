import Logging
import SkiffAPI
import SkiffClient

/// What every controller of a `ControllerManager` shares: the client, one informer factory (so
/// controllers watching the same resource share one cache), the clock and the logger.
public struct ControllerContext: Sendable {
    /// The client every controller talks to the API server through.
    public let client: KubernetesClient
    /// The informers of every resource any controller watches, across all namespaces.
    public let informers: SharedInformerFactory
    /// The parent logger; each controller adds its name.
    public let logger: Logger
    /// The one time source of every controller and its work queue: timestamps written to
    /// objects, periods, grace periods and requeue delays (a test's `ManualClock`).
    public let clock: any TimestampClock

    public init(client: KubernetesClient, informers: SharedInformerFactory, clock: any TimestampClock = SystemClock(), logger: Logger) {
        self.client = client
        self.informers = informers
        self.clock = clock
        self.logger = logger
    }

    /// An event recorder writing as `component` (upstream's controller names, e.g. `replicaset-controller`).
    func eventRecorder(component: String) -> EventRecorder {
        EventRecorder(client: client.dynamic, component: component, clock: clock, logger: logger)
    }

    /// The logger of the controller `name`.
    func logger(for name: String) -> Logger {
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        return logger
    }
}
