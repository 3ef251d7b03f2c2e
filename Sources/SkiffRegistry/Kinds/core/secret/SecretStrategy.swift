import Foundation
import SkiffAPI

/// Secrets: `type` defaults to `Opaque` and is selectable and immutable; `stringData` is merged
/// into `data` (base64) and never stored, as upstream's conversion does; typed secrets need
/// their keys.
struct SecretStrategy: ResourceStrategy {
    var selectableFields: [String] { ["type"] }

    /// The keys each secret type requires (`basic-auth` needs either of its two).
    private static let requiredKeys = [
        "kubernetes.io/dockercfg": [".dockercfg"], "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
        "kubernetes.io/ssh-auth": ["ssh-privatekey"], "kubernetes.io/tls": ["tls.crt", "tls.key"],
    ]

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["type": object.stringValue(at: "type")]
    }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("type", "Opaque")
        guard let strings = object["stringData"]?.objectValue else { return }
        var data = object["data"]?.objectValue ?? [:]
        for (key, value) in strings {
            data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString())
        }
        object["data"] = .object(data)
        object["stringData"] = nil
    }

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

    var tableColumns: [TableColumn] { [.name, TableColumn("Type"), TableColumn("Data"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "type")), .int(Int64(object["data"]?.objectValue?.count ?? 0)),
         .string(Age.since(object, now: now))]
    }
}
