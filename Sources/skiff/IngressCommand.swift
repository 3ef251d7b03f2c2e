import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SkiffIngress

/// `skiff ingress-controller`: the built-in ingress controller alone, against any API server.
struct IngressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingress-controller", abstract: "Serve the Ingresses of the IngressClass skiff with an HTTP reverse proxy.")

    /// client-go's defaults: 5 qps, burst 10 (it lists, watches and writes statuses).
    enum Defaults: ComponentDefaults {
        static let name = "skiff-ingress"
        static let kubeAPIQPS = 5.0
        static let kubeAPIBurst = 10
    }

    @OptionGroup var options: ComponentOptions<Defaults>

    @Option(help: "The node the proxy runs on (its InternalIP goes into the Ingresses' status), if not the host name.")
    var hostnameOverride: String?

    @Option(help: "Listen on this address.")
    var bind = "0.0.0.0"

    @Option(help: "The HTTP port (0: any free port).")
    var ingressHTTPPort = 80

    @Option(help: "The HTTPS port, HTTP/2 by ALPN, certificates by SNI from the Ingresses' TLS Secrets (0: any free port; `=-1`: no HTTPS).")
    var ingressHTTPSPort = 443

    func run() async throws {
        let logger = options.makeLogger()
        var configuration = IngressConfiguration(nodeName: hostnameOverride ?? ProcessInfo.processInfo.hostName.lowercased())
        configuration.host = bind
        configuration.httpPort = ingressHTTPPort
        configuration.httpsPort = ingressHTTPSPort >= 0 ? ingressHTTPSPort : nil
        let process = Self.process(options: options, configuration: configuration, logger: logger)
        try await ServiceGroup.process([.init(service: process, serviceName: "ingress")], logger: logger).run()
    }

    /// The controller as a process runs it, with its own client; it says which port it listens on.
    static func process(options: ComponentOptions<Defaults>, configuration: IngressConfiguration, logger: Logger) -> ComponentClient {
        ComponentClient(source: options.clientSource()) { client in
            IngressController(configuration: configuration, client: client, logger: logger) { port, httpsPort in
                let https = httpsPort.map { ", HTTPS on port \($0)" } ?? ""
                Console.say("Ingress controller (class \(configuration.className)) listening on \(configuration.host):\(port)\(https).")
            }
        }
    }
}
