import Foundation
import SkiffAPIServer
import SkiffClient
import SkiffPKI

/// The certificates a cluster runs with, made or read at start: what the server presents and
/// trusts, and the client pairs the kubeconfigs embed.
struct ClusterCredentials: Sendable {
    /// What the API server serves with.
    var serving: TLSServing
    /// The PEM bundle of CAs whose client certificates are accepted.
    var clientCAPEM: String
    /// The PEM of the CA the kubeconfigs trust.
    var authorityPEM: String
    /// The client pairs by file stem (`admin`, `controller-manager`, `scheduler`, `kubelet-NODE`).
    var clients: [String: KeyPair]
    /// The client certificate presented to extension servers.
    var proxyClient: ProxyClientIdentity
    /// The PEM of the CA that signs `proxyClient`.
    var frontProxyCAPEM: String

    /// Ensures the PKI of `options` (issuing what is missing, expired or changed) and reads the
    /// files the flags name instead.
    static func prepare(options: ServerOptions, nodeNames: [String], now: Date = Date()) throws -> ClusterCredentials {
        let transport = options.transport
        let certificates = ClusterCertificates(
            hostName: ProcessInfo.processInfo.hostName, extraNames: transport.tlsSANs, nodeNames: nodeNames)
        let outcome = try ClusterPKI(directory: PKIDirectory(path: options.pkiDir)).ensure(certificates.profiles, now: now)
        let authorityPEM = try outcome.authority.keyPair.certificatePEM()
        let clientCAPEM = try transport.clientCAFile.map { String(decoding: try read($0), as: UTF8.self) } ?? authorityPEM
        let serving: TLSServing
        if let certificateFile = transport.tlsCertFile, let keyFile = transport.tlsPrivateKeyFile {
            serving = TLSServing(certificateChainPEM: try read(certificateFile), privateKeyPEM: try read(keyFile), clientCAPEM: Array(clientCAPEM.utf8))
        } else if let pair = outcome.pairs[ClusterCertificates.apiServer] {
            serving = TLSServing(
                certificateChainPEM: Array(try pair.certificatePEM().utf8), privateKeyPEM: Array(pair.privateKeyPEM.utf8),
                clientCAPEM: Array(clientCAPEM.utf8))
        } else {
            throw PKIError("no serving certificate was issued")
        }
        let (proxyClient, frontProxyCAPEM) = try frontProxy(options.aggregation, pkiDir: options.pkiDir, now: now)
        return ClusterCredentials(serving: serving, clientCAPEM: clientCAPEM, authorityPEM: authorityPEM, clients: outcome.pairs,
                                  proxyClient: proxyClient, frontProxyCAPEM: frontProxyCAPEM)
    }

    /// The front-proxy client certificate and its CA: the files the flags name, else the
    /// front-proxy PKI's (made when missing).
    private static func frontProxy(_ options: AggregationOptions, pkiDir: String, now: Date) throws -> (ProxyClientIdentity, String) {
        let made = try FrontProxyCertificates.ensure(pkiDirectory: pkiDir, now: now)
        let client: ProxyClientIdentity
        if let certificateFile = options.proxyClientCertFile, let keyFile = options.proxyClientKeyFile {
            client = ProxyClientIdentity(certificatePEM: String(decoding: try read(certificateFile), as: UTF8.self),
                                         privateKeyPEM: String(decoding: try read(keyFile), as: UTF8.self))
        } else {
            client = ProxyClientIdentity(certificatePEM: try made.client.certificatePEM(), privateKeyPEM: made.client.privateKeyPEM)
        }
        let authorityPEM = try options.requestHeaderClientCAFile.map { String(decoding: try read($0), as: UTF8.self) }
            ?? made.authority.keyPair.certificatePEM()
        return (client, authorityPEM)
    }

    /// A kubeconfig reaching `server` as the holder of the client pair `name`.
    func kubeconfig(server: String, client name: String) throws -> Kubeconfig {
        var kubeconfig = Kubeconfig(context: "skiff", server: server, user: name == ClusterCertificates.admin ? "admin" : name, namespace: "default")
        kubeconfig.clusters["skiff"]?.certificateAuthorityData = Array(authorityPEM.utf8)
        if let pair = clients[name], let user = kubeconfig.contexts["skiff"]?.user {
            kubeconfig.users[user]?.clientCertificateData = Array(try pair.certificatePEM().utf8)
            kubeconfig.users[user]?.clientKeyData = Array(pair.privateKeyPEM.utf8)
        }
        return kubeconfig
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw PKIError("cannot read \(path)") }
        return Array(data)
    }
}
