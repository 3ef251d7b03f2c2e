import Foundation

/// The front-proxy PKI of the aggregation layer, as kubeadm makes it: a CA of its own
/// (`front-proxy-ca`, never the cluster CA, so that its client certificates authenticate nothing
/// but the proxy's requests to extension servers) and the proxy's client certificate
/// (`front-proxy-client`). Kept in the `front-proxy` directory under the cluster's PKI directory,
/// apart from the cluster CA's leaves (`skiff certs rotate` re-issues those).
public enum FrontProxyCertificates {
    /// The directory under the PKI directory.
    public static let directoryName = "front-proxy"
    public static let authorityCommonName = "front-proxy-ca"
    /// The file stem and common name of the client certificate (upstream's `--requestheader-allowed-names`).
    public static let clientName = "front-proxy-client"

    /// The front-proxy PKI under the cluster's `pkiDirectory`.
    public static func pki(pkiDirectory: String) -> ClusterPKI {
        ClusterPKI(directory: PKIDirectory(path: pkiDirectory + "/" + directoryName), authorityCommonName: authorityCommonName)
    }

    /// The CA and the client pair under `pkiDirectory`, issued when missing or no longer good.
    public static func ensure(pkiDirectory: String, now: Date) throws(PKIError) -> (authority: CertificateAuthority, client: KeyPair) {
        let profile = CertificateProfile(name: clientName, commonName: clientName, usage: .client)
        let outcome = try pki(pkiDirectory: pkiDirectory).ensure([profile], now: now)
        guard let client = outcome.pairs[clientName] else { throw PKIError("no front-proxy client certificate was issued") }
        return (outcome.authority, client)
    }
}
