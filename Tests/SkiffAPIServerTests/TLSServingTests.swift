import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOSSL
import SkiffAPI
import SkiffAPIServer
import SkiffPKI
import SkiffTesting
import Testing

/// The HTTP server over TLS: HTTP/2 and HTTP/1.1 by ALPN, the client certificate reaching the
/// authenticator, certificates of strangers refused in the handshake.
@Suite struct TLSServingTests {
    let now = Date()
    let authority: CertificateAuthority
    let serving: KeyPair

    init() throws {
        authority = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        serving = try authority.issue(ClusterCertificates(hostName: "localhost").servingProfile, now: now)
    }

    /// Runs an HTTPS server answering with the user the x509 authenticator finds (or
    /// `anonymous`) and the request's path, for the duration of `body`.
    private func withServer(
        handshakeTimeout: TimeAmount = .seconds(32), _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let tls = TLSServing(
            certificateChainPEM: Array(try serving.certificatePEM().utf8), privateKeyPEM: Array(serving.privateKeyPEM.utf8),
            clientCAPEM: Array(try authority.keyPair.certificatePEM().utf8))
        let authenticator = try X509Authenticator(clientCAPEM: authority.keyPair.certificatePEM())
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0, tls: tls)
        configuration.handshakeTimeout = handshakeTimeout
        let server = HTTPServer(configuration: configuration, logger: InProcessCluster.quietLogger) { request in
            let user = (try? await authenticator.authenticate(request)) ?? nil
            return .text("\(user?.name ?? "anonymous") \(request.path)")
        }
        try await withLoopbackServer(server, body)
    }

    private func client(presenting pair: KeyPair?, trusting trusted: CertificateAuthority? = nil, http1Only: Bool = false) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array((trusted ?? authority).keyPair.certificatePEM().utf8), format: .pem)])
        if let pair {
            tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(pair.certificatePEM().utf8), format: .pem))]
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(pair.privateKeyPEM.utf8), format: .pem))
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = http1Only ? .http1Only : .automatic
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    private func get(_ client: HTTPClient, port: Int, path: String = "/api") async throws -> (version: HTTPVersion, text: String) {
        let outcome: Result<(HTTPVersion, String), any Error>
        do {
            let response = try await client.execute(HTTPClientRequest(url: "https://localhost:\(port)\(path)"), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            outcome = .success((response.version, String(buffer: body)))
        } catch {
            outcome = .failure(error)
        }
        try await client.shutdown()
        return try outcome.get()
    }

    private func admin() throws -> KeyPair {
        try authority.issue(.init(name: "admin", commonName: "kubernetes-admin", organizations: ["system:masters"], usage: .client), now: now)
    }

    @Test func http2ByALPNCarriesTheClientCertificate() async throws {
        let admin = try admin()
        try await withServer { port in
            let (version, text) = try await get(try client(presenting: admin), port: port, path: "/api/v1")
            #expect(version == .http2)
            #expect(text == "kubernetes-admin /api/v1")
        }
    }

    @Test func http1StillServed() async throws {
        let admin = try admin()
        try await withServer { port in
            let (version, text) = try await get(try client(presenting: admin, http1Only: true), port: port)
            #expect(version == .http1_1)
            #expect(text == "kubernetes-admin /api")
        }
    }

    @Test func aClientCertificateIsOptional() async throws {
        try await withServer { port in
            let (_, text) = try await get(try client(presenting: nil), port: port)
            #expect(text == "anonymous /api")
        }
    }

    @Test func aClientCertificateOfAnotherCAFailsTheHandshake() async throws {
        let other = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let stranger = try other.issue(.init(name: "admin", commonName: "kubernetes-admin", usage: .client), now: now)
        try await withServer { port in
            await #expect(throws: (any Error).self) { _ = try await get(try client(presenting: stranger), port: port) }
        }
    }

    @Test func aClientTrustingAnotherCARefusesTheServer() async throws {
        let other = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        try await withServer { port in
            await #expect(throws: (any Error).self) { _ = try await get(try client(presenting: nil, trusting: other), port: port) }
        }
    }

    @Test(.timeLimit(.minutes(1))) func aClientThatNeverHandshakesIsDisconnected() async throws {
        try await withServer(handshakeTimeout: .milliseconds(200)) { port in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            try await channel.closeFuture.get()
        }
    }
}
