import Foundation
import SkiffAPI
@testable import SkiffControllers
import SkiffModels
import SkiffPKI
import Testing

/// How long the csrcleaner keeps each kind of request (upstream's ages), on fixed times.
@Suite struct CertificateCleaningControllerTests {
    static let created = Timestamp(seconds: 1_700_000_000)
    static let decided = created.adding(seconds: 600)

    static func request(
        conditions: [(type: String, updated: Timestamp)] = [], certificate: String? = nil
    ) -> CertificatesV1.CertificateSigningRequest {
        var csr = CertificatesV1.CertificateSigningRequest(
            metadata: ObjectMeta(name: "csr", creationTimestamp: created),
            spec: CertificatesV1.CertificateSigningRequestSpec(request: "", signerName: KubernetesSigner.kubeletClient.rawValue))
        if !conditions.isEmpty || certificate != nil {
            csr.status = CertificatesV1.CertificateSigningRequestStatus(
                certificate: certificate,
                conditions: conditions.map { CertificatesV1.CertificateSigningRequestCondition(lastUpdateTime: $0.updated, status: "True", type: $0.type) })
        }
        return csr
    }

    static func due(_ csr: CertificatesV1.CertificateSigningRequest) -> Timestamp? {
        CertificateCleaningController.deletion(of: csr)?.time
    }

    @Test func pendingRequestsLastADay() {
        #expect(Self.due(Self.request()) == Self.created.adding(seconds: 24 * 3600))
    }

    @Test func deniedFailedAndIssuedRequestsLastAnHourAfterTheirCondition() {
        #expect(Self.due(Self.request(conditions: [("Denied", Self.decided)])) == Self.decided.adding(seconds: 3600))
        #expect(Self.due(Self.request(conditions: [("Approved", Self.created), ("Failed", Self.decided)]))
                == Self.decided.adding(seconds: 3600))
        #expect(Self.due(Self.request(conditions: [("Approved", Self.decided)], certificate: "not a certificate"))
                == Self.decided.adding(seconds: 3600))
    }

    @Test func approvedRequestsNotYetIssuedStay() {
        #expect(CertificateCleaningController.deletion(of: Self.request(conditions: [("Approved", Self.decided)])) == nil)
    }

    @Test func issuedRequestsGoOnceTheirCertificateExpires() throws {
        // A certificate that expired long before the approval's hour is over.
        let issued = Date(timeIntervalSince1970: 1_000_000_000)
        let pem = try CertificateAuthority.create(commonName: "expired", now: issued).keyPair.certificatePEM()
        let csr = Self.request(conditions: [("Approved", Self.decided)], certificate: Data(pem.utf8).base64EncodedString())
        let deletion = try #require(CertificateCleaningController.deletion(of: csr))
        #expect(deletion.reason == "expired")
        #expect(deletion.time.seconds == 1_000_000_000 + Int64(CertificateAuthority.validity))
    }
}
