import ArgumentParser
import Logging
import ServiceLifecycle
import SkiffAPIServer
import SkiffClient
import SkiffMetricsServer

/// `skiff metrics-server`: metrics-server on Skiff's libraries (see `MetricsServer`), to be
/// registered as the APIService `v1beta1.metrics.k8s.io`. It scrapes the kubelets of the cluster
/// its kubeconfig names, and authorizes requests with that cluster (SubjectAccessReview), as
/// metrics-server delegates to kube-apiserver.
struct MetricsServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metrics-server",
                                                    abstract: "Serve metrics.k8s.io (nodes, pods) from the kubelets' resource figures.")

    /// metrics-server's client limits are client-go's defaults (it only lists and watches).
    enum Defaults: ComponentDefaults {
        static let name = "skiff-metrics-server"
        static let kubeAPIQPS = 5.0
        static let kubeAPIBurst = 10
    }

    @OptionGroup var options: ComponentOptions<Defaults>

    @OptionGroup var serving: ExtensionServingOptions

    @Option(help: "How often the kubelets are scraped (metrics-server's --metric-resolution).")
    var metricResolution = DurationFlag(.seconds(15))

    func run() async throws {
        let logger = options.makeLogger()
        let bindAddress = serving.bindAddress
        let server = try Self.process(options: options, serving: serving, resolution: metricResolution.duration, logger: logger) { _, port in
            Console.say("Metrics server is ready on https://\(bindAddress):\(port)")
        }
        try await ServiceGroup.process([.init(service: server, serviceName: "metrics-server")], logger: logger).run()
    }

    /// The server as a process runs it, with its own client; `onReady` gets the client and the
    /// bound port once it serves.
    static func process(options: ComponentOptions<Defaults>, serving: ExtensionServingOptions, resolution: Duration, logger: Logger,
                        onReady: @escaping @Sendable (KubernetesClient, Int) async -> Void) throws -> ComponentClient {
        let (http, authentication) = try serving.serving(commonName: "metrics-server", authorityName: "metrics-server-ca")
        return ComponentClient(source: options.clientSource()) { client in
            var configuration = MetricsServer.Configuration()
            configuration.resolution = resolution
            return MetricsServer(configuration: configuration, client: client, logger: logger) { storage in
                ExtensionServerService(http: http, authentication: authentication, entries: MetricsResources.entries, storage: storage,
                                       authorizer: SubjectAccessReviewAuthorizer(client: client.rest), logger: logger) { port in
                    await onReady(client, port)
                }
            }
        }
    }
}
