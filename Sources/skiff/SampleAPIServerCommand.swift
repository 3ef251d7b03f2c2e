import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SkiffAPIServer
import SkiffClient
import SkiffPKI

/// `skiff sample-apiserver`: upstream's sample extension server (`wardle.example.com/v1alpha1`,
/// Flunders and Fischers) on Skiff's libraries, to be registered with an APIService. It serves
/// HTTPS with a certificate of its own CA (`CERT-DIR/ca.crt` is the APIService's `caBundle`) and
/// trusts the front-proxy identity headers of requests carrying a client certificate of
/// `--requestheader-client-ca-file`. With `--authorization-kubeconfig` every request is authorized
/// by that cluster with a SubjectAccessReview, else every authenticated user may do everything.
struct SampleAPIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample-apiserver",
                                                    abstract: "Run the sample extension API server (wardle.example.com).")

    @Option(help: "The port to serve HTTPS on (0: any free port).")
    var securePort: Int = 8443

    @Option(help: "The address to listen on.")
    var bindAddress: String = "127.0.0.1"

    @Option(help: "Where the serving CA and certificate are made (ca.crt, apiserver.crt).")
    var certDir: String = "apiserver.local.config/certificates"

    @Option(name: .customLong("tls-san"), help: "An extra DNS name or IP address of the serving certificate, e.g. api.NAMESPACE.svc (repeatable).")
    var tlsSANs: [String] = []

    @Option(name: .customLong("requestheader-client-ca-file"), help: "The front-proxy CA (PEM): the aggregator's client certificate must chain to it.")
    var requestHeaderClientCAFile: String

    @Option(name: .customLong("requestheader-allowed-names"), help: "Comma-separated common names the front-proxy certificate may carry (empty: any).")
    var requestHeaderAllowedNames: String = FrontProxyCertificates.clientName

    @Option(help: "The kubeconfig of the cluster that authorizes requests (SubjectAccessReview); none: all allowed.")
    var authorizationKubeconfig: String?

    @Option(help: "The storage: memory:// (default) or sqlite://PATH.")
    var storage: String = "memory://"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        var logger = Logger(label: "skiff-sample-apiserver")
        logger.logLevel = logLevel
        guard let frontProxyCA = FileManager.default.contents(atPath: requestHeaderClientCAFile) else {
            throw ValidationError("cannot read \(requestHeaderClientCAFile)")
        }
        let isAddress = { (name: String) in name.contains(":") || name.allSatisfy { $0.isNumber || $0 == "." } }
        let names = tlsSANs.filter { !isAddress($0) }, addresses = tlsSANs.filter(isAddress)
        let profile = CertificateProfile(name: "apiserver", commonName: "wardle-apiserver", usage: .server,
                                         dnsNames: ["localhost"] + names, ipAddresses: ["127.0.0.1"] + addresses)
        let pki = ClusterPKI(directory: PKIDirectory(path: certDir), authorityCommonName: "wardle-ca")
        guard let serving = try pki.ensure([profile], now: Date()).pairs[profile.name] else { throw PKIError("no serving certificate was issued") }
        let tls = TLSServing(certificateChainPEM: Array(try serving.certificatePEM().utf8), privateKeyPEM: Array(serving.privateKeyPEM.utf8),
                             clientCAPEM: Array(frontProxyCA))
        let allowedNames = requestHeaderAllowedNames.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let authentication = ExtensionAuthentication(clientCAPEM: "", requestHeaderCAPEM: String(decoding: frontProxyCA, as: UTF8.self),
                                                     allowedNames: allowedNames)
        let client = try authorizationKubeconfig.map { path in
            try RESTClient(configuration: try ClientConfiguration.load(rules: .environment(explicitPath: path)))
        }
        let bindAddress = self.bindAddress
        let server = ExtensionServerService(http: .init(host: bindAddress, port: securePort, tls: tls), authentication: authentication,
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
