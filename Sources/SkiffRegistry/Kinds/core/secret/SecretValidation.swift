import Foundation
import SkiffAPI

extension SecretStrategy {
    /// The keys each secret type requires (`basic-auth` needs either of its two).
    private static let requiredKeys = [
        "kubernetes.io/dockercfg": [".dockercfg"], "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
        "kubernetes.io/ssh-auth": ["ssh-privatekey"], "kubernetes.io/tls": ["tls.crt", "tls.key"],
    ]

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = ConfigDataValidation.validateKeys(object, fields: ["data"])
        let data = object["data"]?.objectValue ?? [:]
        switch object.stringValue(at: "type") {
        case "kubernetes.io/service-account-token":
            if (object.annotations["kubernetes.io/service-account.name"] ?? "").isEmpty {
                errors.append(.required("metadata.annotations[kubernetes.io/service-account.name]"))
            }
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil {
                errors += [.required("data[username]"), .required("data[password]")]
            }
        case let type:
            for key in Self.requiredKeys[type] ?? [] where data[key] == nil || (type == "kubernetes.io/ssh-auth" && data[key] == "") {
                errors.append(.required("data[\(key)]"))
            }
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["type"]])
            + ConfigDataValidation.validateImmutability(object, old: old, fields: ["data"])
    }
}
