import Foundation
import Logging
import NIOCore
import NIOSSL
import SkiffModels
import Synchronization

/// The certificates of the HTTPS port, chosen per TLS handshake by the client's server name
/// (SNI): the Secret an `IngressTLSTable` names for it, else the default certificate (also for
/// clients that send no name, and when the Secret is missing or unusable). Secrets are read at
/// each handshake and parsed once per `resourceVersion`, so a changed Secret serves the next
/// handshake.
///
/// A class: the parsed certificates are shared by every connection (behind a mutex).
final class IngressCertificates: Sendable {
    /// A Secret's certificate chain and key, as the handshake takes them.
    private struct Parsed: Sendable {
        var resourceVersion: String?
        var override: NIOSSLContextConfigurationOverride
    }

    private let table: @Sendable () -> IngressTLSTable
    private let secret: @Sendable (IngressSecretReference) -> CoreV1.Secret?
    private let logger: Logger
    private let parsed = Mutex<[IngressSecretReference: Parsed]>([:])

    /// `table` gives the served Ingresses' TLS sections and `secret` reads a Secret, both as they are now.
    init(
        table: @escaping @Sendable () -> IngressTLSTable, secret: @escaping @Sendable (IngressSecretReference) -> CoreV1.Secret?, logger: Logger
    ) {
        self.table = table
        self.secret = secret
        self.logger = logger
    }

    /// The server's TLS context: the default certificate, replaced per handshake as `override(forServerName:)` says,
    /// ALPN offering `h2` and `http/1.1`.
    func makeContext(defaultCertificate: IngressDefaultCertificate) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(defaultCertificate.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(defaultCertificate.privateKeyPEM.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["h2", "http/1.1"]
        configuration.sslContextCallback = { [self] values, promise in
            promise.succeed(override(forServerName: values.serverHostname))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The certificate for a handshake naming `serverName`: its Secret's, or no change (the default).
    func override(forServerName serverName: String?) -> NIOSSLContextConfigurationOverride {
        guard let serverName, let reference = table().secret(forServerName: serverName.lowercased()) else { return .noChanges }
        guard let secret = secret(reference) else {
            logger.info("the TLS Secret does not exist, serving the default certificate", metadata: ["secret": "\(reference.namespace)/\(reference.name)"])
            return .noChanges
        }
        let resourceVersion = secret.metadata?.resourceVersion
        if let cached = parsed.withLock({ $0[reference] }), cached.resourceVersion == resourceVersion { return cached.override }
        do {
            let override = try Self.parse(secret)
            parsed.withLock { $0[reference] = Parsed(resourceVersion: resourceVersion, override: override) }
            return override
        } catch {
            logger.warning("cannot use the TLS Secret, serving the default certificate", metadata: ["secret": "\(reference.namespace)/\(reference.name)", "error": "\(error)"])
            return .noChanges
        }
    }

    /// A Secret's `tls.crt` (the chain, the server's certificate first) and `tls.key` (PEM).
    static func parse(_ secret: CoreV1.Secret) throws -> NIOSSLContextConfigurationOverride {
        func value(_ key: String) throws -> [UInt8] {
            guard let encoded = secret.data?[key], let bytes = Data(base64Encoded: encoded) else { throw IngressTLSError("no \(key) in the Secret") }
            return Array(bytes)
        }
        var override = NIOSSLContextConfigurationOverride()
        let chain = try NIOSSLCertificate.fromPEMBytes(try value("tls.crt"))
        guard !chain.isEmpty else { throw IngressTLSError("no certificate in tls.crt") }
        override.certificateChain = chain.map { .certificate($0) }
        override.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: try value("tls.key"), format: .pem))
        return override
    }
}

/// Why a Secret cannot serve TLS.
struct IngressTLSError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
