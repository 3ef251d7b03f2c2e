import Foundation
import SkiffModels
import SkiffPKI

/// What the certificate controllers read of a request.
extension CertificatesV1.CertificateSigningRequest {
    /// Whether a condition of `type` is `True`.
    func hasTrueCondition(_ type: String) -> Bool {
        status?.conditions?.contains { $0.type == type && $0.status == "True" } ?? false
    }

    /// The condition of `type`, if any.
    func condition(_ type: String) -> CertificatesV1.CertificateSigningRequestCondition? {
        status?.conditions?.first { $0.type == type }
    }

    /// `spec.request` decoded: a PEM certificate request.
    func parsedRequest() throws -> CertificateRequest {
        guard let pem = Data(base64Encoded: spec.request).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw PKIError("spec.request is not base64")
        }
        return try CertificateRequest(pem: pem)
    }
}
