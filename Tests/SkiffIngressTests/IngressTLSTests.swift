import Foundation
import NIOHTTP1
import NIOSSL
import SkiffAPI
import SkiffModels
import Synchronization
import Testing

@testable import SkiffIngress

/// The HTTPS side: which Secret's certificate a server name gets (SNI), which hosts are
/// redirected to HTTPS, and the Secrets turned into handshake certificates.
struct IngressTLSTests {
    static func tls(_ hosts: [String]?, _ secret: String) -> JSONValue {
        var section: JSONValue = ["secretName": .string(secret)]
        if let hosts { section["hosts"] = .array(hosts.map(JSONValue.string)) }
        return section
    }

    let table = IngressTLSTable(ingresses: [
        RouteTableTests.ingress("shop", created: "2026-01-01T00:00:00Z", ["tls": [tls(["shop.example", "*.shop.example"], "shop-tls")]]),
        RouteTableTests.ingress("newer", namespace: "other", created: "2026-02-01T00:00:00Z", [
            "tls": [tls(["shop.example", "api.shop.example"], "newer-tls"), tls(nil, "catch-all")],
        ]),
    ])

    func secret(_ name: String) -> String? { table.secret(forServerName: name).map { "\($0.namespace)/\($0.name)" } }

    @Test func serverNamesPickTheirSecret() {
        // Exact hosts before wildcards; among equals the oldest Ingress.
        #expect(secret("shop.example") == "demo/shop-tls")
        #expect(secret("api.shop.example") == "other/newer-tls")
        #expect(secret("www.shop.example") == "demo/shop-tls")
        // A section without hosts covers every other name.
        #expect(secret("a.b.shop.example") == "other/catch-all")
        #expect(IngressTLSTable(ingresses: []).secret(forServerName: "shop.example") == nil)
    }

    @Test func onlyHostsOfTLSSectionsAreRedirected() {
        let table = IngressTLSTable(ingresses: [RouteTableTests.ingress("shop", ["tls": [Self.tls(["shop.example"], "shop-tls")]])])
        #expect(table.servesTLS(host: "shop.example"))
        #expect(!table.servesTLS(host: "plain.example"))
        var request = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/cart?id=1")
        request.headers.add(name: "Host", value: "Shop.Example:8080")
        let exchange = ProxyExchange(request: request, secure: false, clientAddress: nil)
        #expect(exchange.httpsLocation(port: 443) == "https://shop.example/cart?id=1")
        #expect(exchange.httpsLocation(port: 8443) == "https://shop.example:8443/cart?id=1")
    }

    @Test func secretsBecomeHandshakeCertificates() throws {
        let pair = try IngressDefaultCertificate.make(now: Date())
        func secret(resourceVersion: String, data: [String: String]) -> CoreV1.Secret {
            ([
                "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                "metadata": ["name": "shop-tls", "namespace": "demo", "resourceVersion": .string(resourceVersion)],
                "data": .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) }),
            ] as JSONValue).typed()
        }
        let stored = Mutex(secret(resourceVersion: "1", data: ["tls.crt": pair.certificatePEM, "tls.key": pair.privateKeyPEM]))
        let certificates = IngressCertificates(
            table: { IngressTLSTable(ingresses: [RouteTableTests.ingress("shop", ["tls": [Self.tls(["shop.example"], "shop-tls")]])]) },
            secret: { reference in reference == IngressSecretReference(namespace: "demo", name: "shop-tls") ? stored.withLock { $0 } : nil },
            logger: .init(label: "test"))
        #expect(certificates.override(forServerName: "SHOP.example").certificateChain?.count == 1)
        #expect(certificates.override(forServerName: "shop.example").privateKey != nil)
        // Other names, no name, and an unusable Secret: the default certificate.
        #expect(certificates.override(forServerName: "other.example").certificateChain == nil)
        #expect(certificates.override(forServerName: nil).certificateChain == nil)
        stored.withLock { $0 = secret(resourceVersion: "2", data: ["tls.crt": pair.certificatePEM]) }
        #expect(certificates.override(forServerName: "shop.example").certificateChain == nil)
        #expect(throws: (any Error).self) { try IngressCertificates.parse(secret(resourceVersion: "3", data: ["tls.crt": "junk", "tls.key": "junk"])) }
    }

    @Test func theDefaultCertificateIsTheFakeOne() throws {
        let pair = try IngressDefaultCertificate.make(now: Date())
        let certificate = try #require(try NIOSSLCertificate.fromPEMBytes(Array(pair.certificatePEM.utf8)).first)
        #expect(certificate.description.contains(IngressDefaultCertificate.commonName))
    }
}
