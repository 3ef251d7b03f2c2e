import ArgumentParser

/// `skiff`: Kubernetes in Swift.
@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Kubernetes, written in Swift.",
        subcommands: [
            Up.self, APIServerCommand.self, ControllerManagerCommand.self, SchedulerCommand.self, KubeletCommand.self, ProxyCommand.self, DNSCommand.self,
            BenchCommand.self, CertsCommand.self, MigrateCommand.self, OperatorCommand.self, SampleAPIServerCommand.self,
        ]
    )
}
