import Logging
import ServiceLifecycle
import UnixSignals

extension ServiceGroup {
    /// How long a process's services get to stop gracefully after SIGTERM or SIGINT before they
    /// are cancelled.
    static let gracefulShutdownTimeout: Duration = .seconds(8)

    /// The group a `skiff` process runs: `services` start together and, on SIGTERM or SIGINT,
    /// shut down gracefully in reverse order (clients of the API server before it), cancelled
    /// if they take longer than `gracefulShutdownTimeout`.
    static func process(_ services: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = gracefulShutdownTimeout
        return ServiceGroup(configuration: configuration)
    }
}
