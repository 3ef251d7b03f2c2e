import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SkiffClient
import SkiffControllers
import SkiffPKI

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

    @Option(help: "The PEM key (ECDSA P-256) that signs the tokens of kubernetes.io/service-account-token secrets; without it they are not filled.")
    var serviceAccountPrivateKeyFile: String?

    @Option(help: "The CA bundle put into those secrets' ca.crt.")
    var rootCAFile: String?

    func run() async throws {
        let logger = options.makeLogger()
        var tokens: ServiceAccountTokenController.Configuration?
        if let serviceAccountPrivateKeyFile {
            let key = try ServiceAccountSigningKey(path: serviceAccountPrivateKeyFile)
            let rootCA = try rootCAFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? ""
            tokens = .init(signer: try await ServiceAccountTokenSigner(signingKey: key.privateKey), rootCAPEM: rootCA)
        }
        let process = ControllerManagerCommand.process(
            options: options, leaderElection: leaderElection, controllers: try controllers.selection(),
            useServiceAccountCredentials: controllers.useServiceAccountCredentials, serviceAccountTokens: tokens, logger: logger)
        try await ServiceGroup.process([.init(service: process, serviceName: "controller-manager")], logger: logger).run()
    }

    /// The controller manager as a process runs it: its own client, the selected controllers
    /// (each as its service account if asked; the token secrets filled when given a key), behind leader election on
    /// `kube-system/kube-controller-manager` if asked.
    static func process(
        options: ComponentOptions<Defaults>, leaderElection: LeaderElectionOptions, controllers: ControllerSelection,
        useServiceAccountCredentials: Bool, serviceAccountTokens: ServiceAccountTokenController.Configuration?, logger: Logger
    ) -> ComponentClient {
        ComponentClient(source: options.clientSource()) { client in
            var configuration = ControllerManager.Configuration()
            configuration.controllers = controllers
            configuration.useServiceAccountCredentials = useServiceAccountCredentials
            configuration.serviceAccountTokens = serviceAccountTokens
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
