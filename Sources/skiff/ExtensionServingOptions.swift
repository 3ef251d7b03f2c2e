import ArgumentParser
import Foundation
import SkiffAPIServer
import SkiffPKI

/// The serving flags of an extension API server (`skiff sample-apiserver`, `skiff
/// metrics-server`), as upstream's `k8s.io/apiserver` servers take them: HTTPS with a
/// certificate of its own CA made in `--cert-dir` (`ca.crt` is the APIService's `caBundle`),
/// trusting the front-proxy identity headers of requests carrying a client certificate of
/// `--requestheader-client-ca-file`.
struct ExtensionServingOptions: ParsableArguments {
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

    /// Where and how to serve, and whom to trust; the serving certificate is made for
    /// `commonName` by a CA named `authorityName` (kept in `--cert-dir`).
    func serving(commonName: String, authorityName: String) throws -> (http: HTTPServer.Configuration, authentication: ExtensionAuthentication) {
        guard let frontProxyCA = FileManager.default.contents(atPath: requestHeaderClientCAFile) else {
            throw ValidationError("cannot read \(requestHeaderClientCAFile)")
        }
        let isAddress = { (name: String) in name.contains(":") || name.allSatisfy { $0.isNumber || $0 == "." } }
        let names = tlsSANs.filter { !isAddress($0) }, addresses = tlsSANs.filter(isAddress)
        let profile = CertificateProfile(name: "apiserver", commonName: commonName, usage: .server,
                                         dnsNames: ["localhost"] + names, ipAddresses: ["127.0.0.1"] + addresses)
        let pki = ClusterPKI(directory: PKIDirectory(path: certDir), authorityCommonName: authorityName)
        guard let serving = try pki.ensure([profile], now: Date()).pairs[profile.name] else { throw PKIError("no serving certificate was issued") }
        let tls = TLSServing(certificateChainPEM: Array(try serving.certificatePEM().utf8), privateKeyPEM: Array(serving.privateKeyPEM.utf8),
                             clientCAPEM: Array(frontProxyCA))
        let allowedNames = requestHeaderAllowedNames.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let authentication = ExtensionAuthentication(clientCAPEM: "", requestHeaderCAPEM: String(decoding: frontProxyCA, as: UTF8.self),
                                                     allowedNames: allowedNames)
        return (HTTPServer.Configuration(host: bindAddress, port: securePort, tls: tls), authentication)
    }
}
