import ArgumentParser
import Logging
import ServiceLifecycle
import SkiffClient
import SkiffControllers

/// `skiff controller-manager`: the controllers alone, against any API server.
struct ControllerManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-manager", abstract: "Run the controllers against the cluster a kubeconfig names.")

    /// Upstream's kube-controller-manager limits: 20 qps, burst 30.
    enum Defaults: ComponentDefaults {
        static let name = "skiff-controller-manager"
        static let kubeAPIQPS = 20.0
        static let kubeAPIBurst = 30
    }

    @OptionGroup var options: ComponentOptions<Defaults>

    @OptionGroup var leaderElection: LeaderElectionOptions

    @OptionGroup var controllers: ControllerOptions

    func run() async throws {
        let logger = options.makeLogger()
        let process = ControllerManagerCommand.process(
            options: options, leaderElection: leaderElection, controllers: try controllers.selection(),
            useServiceAccountCredentials: controllers.useServiceAccountCredentials, logger: logger)
        try await ServiceGroup.process([.init(service: process, serviceName: "controller-manager")], logger: logger).run()
    }

    /// The controller manager as a process runs it: its own client, the selected controllers
    /// (each as its service account if asked), behind leader election on
    /// `kube-system/kube-controller-manager` if asked.
    static func process(
        options: ComponentOptions<Defaults>, leaderElection: LeaderElectionOptions, controllers: ControllerSelection,
        useServiceAccountCredentials: Bool, logger: Logger
    ) -> ComponentClient {
        ComponentClient(source: options.clientSource()) { client in
            var configuration = ControllerManager.Configuration()
            configuration.controllers = controllers
            configuration.useServiceAccountCredentials = useServiceAccountCredentials
            let manager = ControllerManager(configuration: configuration, client: client, logger: logger)
            return leaderElection.wrap(manager, lease: "kube-controller-manager", client: client, logger: logger)
        }
    }
}

/// `--controllers`, as upstream's kube-controller-manager reads it.
struct ControllerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Controllers to run: '*' runs all enabled by default, 'foo' runs foo, '-foo' does not (comma-separated).",
            discussion: "All controllers: \(ControllerDescriptor.builtin.map(\.name).joined(separator: ", ")). None is disabled by default.",
            valueName: "names"))
    var controllers: [String] = ["*"]

    @Flag(help: "Run each controller as its own service account in kube-system, so RBAC's system:controller:* roles apply (skiff up does over HTTPS).")
    var useServiceAccountCredentials = false

    func validate() throws {
        _ = try selection()
    }

    /// The selection, or upstream's error for unknown names.
    func selection() throws -> ControllerSelection {
        do {
            return try ControllerSelection(controllers)
        } catch let error as ControllerSelection.UnknownControllers {
            throw ValidationError(error.description)
        }
    }
}
