import ArgumentParser
import Logging
import ServiceLifecycle
import SkiffAPIServer
import SkiffMetrics

/// `--metrics-port`: the port where a component that has no server of its own (the controller
/// manager, the scheduler) serves the process's `/metrics` and `/healthz`. Upstream serves them
/// on 10257 and 10259 over HTTPS, and Skiff's port uses plain HTTP on loopback. Off by default:
/// `skiff up` runs every component in the API server's process, whose `/metrics` shows them all.
struct MetricsPortOptions: ParsableArguments {
    @Option(help: "Serve /metrics and /healthz over HTTP on 127.0.0.1 at this port (upstream: 10257 controller manager, 10259 scheduler; 0: none).")
    var metricsPort = 0

    /// The server of that port, to run beside the component (first, so it stops last); none when off.
    func services(logger: Logger) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard metricsPort > 0 else { return [] }
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: metricsPort), logger: logger) { request in
            switch request.path {
            case "/metrics": return .metrics(PrometheusRegistry.process)
            case "/healthz": return .text("ok")
            default: return .text("404 page not found\n", status: .notFound)
            }
        }
        return [.init(service: server, serviceName: "metrics")]
    }
}
