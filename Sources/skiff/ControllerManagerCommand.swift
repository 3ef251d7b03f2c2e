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

    @OptionGroup var metrics: MetricsPortOptions

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
        let process = try ControllerManagerCommand.process(
            options: options, leaderElection: leaderElection, controllers: controllers, serviceAccountTokens: tokens, logger: logger)
        try await ServiceGroup.process(metrics.services(logger: logger) + [.init(service: process, serviceName: "controller-manager")], logger: logger).run()
    }

    /// The controller manager as a process runs it: its own client, the selected controllers
    /// (each as its service account if asked, the CSR signer with the CA it was given, the token
    /// secrets filled when given a key), behind leader election on
    /// `kube-system/kube-controller-manager` if asked.
    static func process(
        options: ComponentOptions<Defaults>, leaderElection: LeaderElectionOptions, controllers: ControllerOptions,
        serviceAccountTokens: ServiceAccountTokenController.Configuration?, logger: Logger
    ) throws -> ComponentClient {
        let selection = try controllers.selection()
        let useServiceAccountCredentials = controllers.useServiceAccountCredentials
        let certificateSigning = try controllers.certificateSigning()
        let localPath = controllers.localPathDir.map(LocalPathProvisioner.Configuration.init(directory:))
        let autoscalerSyncPeriod = controllers.horizontalPodAutoscalerSyncPeriod.duration
        let source = options.clientSource()
        return ComponentClient(source: source) { client in
            var configuration = ControllerManager.Configuration()
            configuration.horizontalPodAutoscaler.syncPeriod = autoscalerSyncPeriod
            configuration.controllers = selection
            configuration.useServiceAccountCredentials = useServiceAccountCredentials
            configuration.certificateSigning = certificateSigning
            configuration.localPath = localPath
            configuration.serviceAccountTokens = serviceAccountTokens
            let manager = ControllerManager(configuration: configuration, client: client, logger: logger)
            return leaderElection.wrap(manager, lease: "kube-controller-manager", source: source, logger: logger)
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

    @Option(help: ArgumentHelp("The CA certificate (PEM) the CSR signer signs with (skiff up: the cluster CA).", valueName: "file"))
    var clusterSigningCertFile: String?

    @Option(help: ArgumentHelp("The CA's private key (PEM) the CSR signer signs with (skiff up: the cluster CA's).", valueName: "file"))
    var clusterSigningKeyFile: String?

    @Option(help: "The longest validity of a certificate the CSR signer issues.")
    var clusterSigningDuration = DurationFlag(.seconds(8760 * 3600))

    @Option(help: ArgumentHelp("The directory the local-path provisioner makes volumes in, on the nodes' machine (skiff up: DATA_DIR/storage); without it the provisioner does not start.", valueName: "dir"))
    var localPathDir: String?

    @Option(help: "How often each HorizontalPodAutoscaler is reconciled.")
    var horizontalPodAutoscalerSyncPeriod = DurationFlag(.seconds(15))

    func validate() throws {
        _ = try selection()
    }

    /// The CSR signer's CA and duration; nil without `--cluster-signing-cert-file` and
    /// `--cluster-signing-key-file` (the signer then does not start, as upstream).
    func certificateSigning() throws -> CertificateSigningController.Configuration? {
        guard let certificateFile = clusterSigningCertFile, let keyFile = clusterSigningKeyFile else { return nil }
        do {
            let pair = try KeyPair(
                certificatePEM: String(contentsOfFile: certificateFile, encoding: .utf8), privateKeyPEM: String(contentsOfFile: keyFile, encoding: .utf8))
            var configuration = CertificateSigningController.Configuration(authority: CertificateAuthority(keyPair: pair))
            configuration.duration = clusterSigningDuration.duration
            return configuration
        } catch {
            throw ValidationError("cannot read the cluster signing CA \(certificateFile), \(keyFile): \(error)")
        }
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
