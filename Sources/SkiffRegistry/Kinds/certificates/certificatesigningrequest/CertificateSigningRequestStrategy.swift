import Foundation
import SkiffAPI

/// CertificateSigningRequests (certificates.k8s.io/v1, cluster-scoped): a spec fixed at creation
/// (main-resource updates change metadata only), status written through `status`, the approval
/// conditions through `approval`, selectable by `spec.signerName`. Departure: the requesting user
/// is not recorded into `spec.username`/`groups` (no authentication yet); signing is the security
/// issue's.
struct CertificateSigningRequestStrategy: ResourceStrategy {
    static let usages = [
        "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only",
        "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement",
        "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping",
    ]

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }

    var selectableFields: [String] { ["spec.signerName"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["spec.signerName": object.stringValue(at: "spec", "signerName")]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["spec"] = old["spec"]
        object["status"] = old["status"]
    }
}
