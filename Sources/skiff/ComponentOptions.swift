import ArgumentParser
import Logging
import SkiffClient

/// The client limits a component has unless told otherwise (upstream's per-component defaults).
protocol ComponentDefaults {
    /// The `User-Agent` and logger label.
    static var name: String { get }
    /// Requests per second to the API server.
    static var kubeAPIQPS: Double { get }
    /// Requests allowed in a burst above the QPS.
    static var kubeAPIBurst: Int { get }
}

/// The flags every component that talks to an API server shares: where the cluster is, how fast
/// to talk to it, how much to log. `Defaults` gives the component's own limits (shown in `--help`).
struct ComponentOptions<Defaults: ComponentDefaults>: ParsableArguments {
    @Option(help: "The kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Requests per second to the API server (0: unlimited).")
    var kubeApiQps: Double = Defaults.kubeAPIQPS

    @Option(help: "Requests allowed in a burst above the QPS.")
    var kubeApiBurst: Int = Defaults.kubeAPIBurst

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    /// The component's logger, at `--log-level`.
    func makeLogger() -> Logger {
        var logger = Logger(label: Defaults.name)
        logger.logLevel = logLevel
        return logger
    }

    /// What a client of the cluster needs: the connection the kubeconfig names, with the
    /// component's limits and user agent; `scale` multiplies the limits (a process hosting many
    /// kubelets). Read when the component starts, since `skiff up` writes the kubeconfig then.
    func clientSource(scale: Int = 1) -> ComponentClient.Source {
        let (path, qps, burst, userAgent) = (kubeconfig, kubeApiQps, kubeApiBurst, Defaults.name)
        return {
            var configuration = try ClientConfiguration.load(rules: .environment(explicitPath: path))
            configuration.qps = qps * Double(scale)
            configuration.burst = burst * scale
            configuration.userAgent = userAgent
            return configuration
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
