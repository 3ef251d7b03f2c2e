import ArgumentParser
import Logging
import ServiceLifecycle
import SkiffAPIServer
import SkiffClient

/// `skiff sample-apiserver`: upstream's sample extension server (`wardle.example.com/v1alpha1`,
/// Flunders and Fischers) on Skiff's libraries, to be registered with an APIService. It serves
/// HTTPS with a certificate of its own CA (`CERT-DIR/ca.crt` is the APIService's `caBundle`) and
/// trusts the front-proxy identity headers of requests carrying a client certificate of
/// `--requestheader-client-ca-file`. With `--authorization-kubeconfig` every request is authorized
/// by that cluster with a SubjectAccessReview, else every authenticated user may do everything.
struct SampleAPIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample-apiserver",
                                                    abstract: "Run the sample extension API server (wardle.example.com).")

    @OptionGroup var serving: ExtensionServingOptions

    @Option(help: "The kubeconfig of the cluster that authorizes requests (SubjectAccessReview); none: all allowed.")
    var authorizationKubeconfig: String?

    @Option(help: "The storage: memory:// (default) or sqlite://PATH.")
    var storage: String = "memory://"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        var logger = Logger(label: "skiff-sample-apiserver")
        logger.logLevel = logLevel
        let (http, authentication) = try serving.serving(commonName: "wardle-apiserver", authorityName: "wardle-ca")
        let client = try authorizationKubeconfig.map { path in
            try RESTClient(configuration: try ClientConfiguration.load(rules: .environment(explicitPath: path)))
        }
        let bindAddress = serving.bindAddress
        let server = ExtensionServerService(http: http, authentication: authentication,
                                            entries: WardleResources.entries, storageURL: storage,
                                            authorizer: client.map(SubjectAccessReviewAuthorizer.init) ?? AlwaysAllowAuthorizer(),
                                            logger: logger) { port in
            Console.say("Sample API server is ready on https://\(bindAddress):\(port)")
        }
        do {
            try await ServiceGroup.process([.init(service: server, serviceName: "sample-apiserver")], logger: logger).run()
        } catch {
            try? await client?.shutdown()
            throw error
        }
        try? await client?.shutdown()
    }
}
