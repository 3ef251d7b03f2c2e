import Foundation
import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import SkiffPKI
import SkiffTesting
import Testing

@Suite struct X509AuthenticatorTests {
    let clock = ManualClock(start: Timestamp(seconds: 1_780_000_000))
    var now: Date { Date(timeIntervalSince1970: TimeInterval(clock.now.seconds)) }

    private func request(presenting pair: KeyPair?) -> HTTPRequest {
        var request = HTTPRequest(method: .GET, uri: "/api", headers: [:], body: [])
        request.clientCertificate = pair?.certificate
        return request
    }

    private func authenticator(trusting authority: CertificateAuthority) throws -> X509Authenticator {
        try X509Authenticator(clientCAPEM: authority.keyPair.certificatePEM(), clock: clock)
    }

    @Test func commonNameIsTheUserAndOrganizationsTheGroups() async throws {
        let authority = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let admin = try authority.issue(.init(name: "admin", commonName: "kubernetes-admin", organizations: ["system:masters", "ops"], usage: .client), now: now)
        let user = try await authenticator(trusting: authority).authenticate(request(presenting: admin))
        #expect(user == UserInfo(name: "kubernetes-admin", groups: ["system:masters", "ops", "system:authenticated"]))
    }

    @Test func noCertificateIsLeftToOtherAuthenticators() async throws {
        let authority = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        #expect(try await authenticator(trusting: authority).authenticate(request(presenting: nil)) == nil)
    }

    @Test func aCertificateOfAnotherCAIsRefused() async throws {
        let trusted = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let other = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let stranger = try other.issue(.init(name: "admin", commonName: "kubernetes-admin", usage: .client), now: now)
        await #expect(throws: (any Error).self) { try await authenticator(trusting: trusted).authenticate(request(presenting: stranger)) }
    }

    @Test func anAcceptedCertificateVouchesForNoOtherWithTheSameSubject() async throws {
        let trusted = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let other = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let admin = try trusted.issue(.init(name: "admin", commonName: "kubernetes-admin", usage: .client), now: now)
        let impostor = try other.issue(.init(name: "admin", commonName: "kubernetes-admin", usage: .client), now: now)
        let authenticator = try authenticator(trusting: trusted)
        for _ in 0..<2 {
            #expect(try await authenticator.authenticate(request(presenting: admin))?.name == "kubernetes-admin")
            await #expect(throws: (any Error).self) { try await authenticator.authenticate(request(presenting: impostor)) }
        }
    }

    @Test func anExpiredCertificateIsRefused() async throws {
        let authority = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let pair = try authority.issue(.init(name: "admin", commonName: "kubernetes-admin", usage: .client), now: now)
        let authenticator = try authenticator(trusting: authority)
        #expect(try await authenticator.authenticate(request(presenting: pair))?.name == "kubernetes-admin")
        clock.advance(seconds: Int64(CertificateAuthority.leafValidity) + 1)
        await #expect(throws: (any Error).self) { try await authenticator.authenticate(request(presenting: pair)) }
    }

    @Test func aServingCertificateIsNoClientCertificate() async throws {
        let authority = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        let serving = try authority.issue(.init(name: "apiserver", commonName: "kube-apiserver", usage: .server, dnsNames: ["localhost"]), now: now)
        await #expect(throws: (any Error).self) { try await authenticator(trusting: authority).authenticate(request(presenting: serving)) }
    }
}
