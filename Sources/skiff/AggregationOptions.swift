import ArgumentParser
import SkiffAPIServer
import SkiffPKI

/// The aggregation layer's flags, as kube-apiserver's: the front-proxy client certificate the
/// server presents to extension servers and what they are told to trust. By default the
/// front-proxy CA and client certificate are made under `PKI-DIR/front-proxy`.
struct AggregationOptions: ParsableArguments {
    @Option(name: .customLong("proxy-client-cert-file"), help: "The client certificate presented to extension servers (PEM); default: one issued by the front-proxy CA.")
    var proxyClientCertFile: String?

    @Option(name: .customLong("proxy-client-key-file"), help: "The key of --proxy-client-cert-file (PEM).")
    var proxyClientKeyFile: String?

    @Option(name: .customLong("requestheader-client-ca-file"), help: "The CA extension servers are told signs the proxy's client certificate (PEM); default: the front-proxy CA.")
    var requestHeaderClientCAFile: String?

    @Option(name: .customLong("requestheader-allowed-names"), help: "Comma-separated common names a front-proxy certificate may carry (default: front-proxy-client; empty: any).")
    var requestHeaderAllowedNames: String = FrontProxyCertificates.clientName

    func validate() throws {
        if (proxyClientCertFile == nil) != (proxyClientKeyFile == nil) {
            throw ValidationError("--proxy-client-cert-file and --proxy-client-key-file go together")
        }
    }

    var allowedNames: [String] {
        requestHeaderAllowedNames.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
