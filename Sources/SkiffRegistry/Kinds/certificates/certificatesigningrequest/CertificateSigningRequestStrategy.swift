import Foundation
import SkiffAPI

/// CertificateSigningRequests (certificates.k8s.io/v1, cluster-scoped): a spec fixed at creation
/// (main-resource updates change metadata only), status written through `status`, the approval
/// conditions through `approval`, selectable by `spec.signerName`. The requesting user is recorded
/// into `spec.username`, `uid`, `groups` and `extra` (what a client sets there is dropped), as
/// upstream's `PrepareForCreate` does.
struct CertificateSigningRequestStrategy: ResourceStrategy {
    static let usages = [
        "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only",
        "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement",
        "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping",
    ]

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }

    func beforeCreate(_ object: inout JSONValue, context: StrategyContext) async throws(APIError) {
        object.editMember("spec") { spec in
            for field in ["username", "uid", "groups", "extra"] { spec[field] = nil }
            guard let user = context.user else { return }
            spec["username"] = .string(user.name)
            if !user.uid.isEmpty { spec["uid"] = .string(user.uid) }
            spec["groups"] = .array(user.groups.map(JSONValue.string))
            if !user.extra.isEmpty { spec["extra"] = .object(user.extra.mapValues { .array($0.map(JSONValue.string)) }) }
        }
    }

    var selectableFields: [String] { ["spec.signerName"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["spec.signerName": object.stringValue(at: "spec", "signerName")]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["spec"] = old["spec"]
        object["status"] = old["status"]
    }
}
