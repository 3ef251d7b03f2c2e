import ArgumentParser
import SkiffMetrics

/// `skiff`: Kubernetes in Swift.
@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Kubernetes, written in Swift.",
        subcommands: [
            Up.self, APIServerCommand.self, ControllerManagerCommand.self, SchedulerCommand.self, KubeletCommand.self, ProxyCommand.self, DNSCommand.self,
            IngressCommand.self,
            BenchCommand.self, CertsCommand.self, ImagesCommand.self, MigrateCommand.self, OperatorCommand.self, SampleAPIServerCommand.self,
            MetricsServerCommand.self,
        ]
    )

    /// Every command's metrics go to the process's Prometheus registry (served at `/metrics`),
    /// then the command line is parsed and run as ArgumentParser does.
    static func main() async {
        PrometheusRegistry.bootstrapProcess()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
