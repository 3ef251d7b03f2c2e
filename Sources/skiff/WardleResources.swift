import SkiffAPI
import SkiffRegistry

/// The kinds of upstream's sample extension server (`wardle.example.com/v1alpha1`): `Flunder`
/// (namespaced; `spec.reference` names a Flunder or a Fischer as `spec.referenceType` says) and
/// `Fischer` (cluster-scoped; `disallowedFlunders` lists names).
enum WardleResources {
    static let group = "wardle.example.com"
    static let version = "v1alpha1"

    static var entries: [Registry.Entry] {
        [
            Registry.Entry(info: ResourceInfo(group: group, version: version, kind: "Flunder", plural: "flunders", namespaced: true,
                                              definitionName: "com.example.wardle.v1alpha1.Flunder"),
                           strategy: FlunderStrategy()),
            Registry.Entry(info: ResourceInfo(group: group, version: version, kind: "Fischer", plural: "fischers", namespaced: false,
                                              definitionName: "com.example.wardle.v1alpha1.Fischer"),
                           strategy: FischerStrategy()),
        ]
    }
}

/// Flunders: `spec.referenceType` is `Flunder` or `Fischer`, and a reference needs one (the
/// sample's validation).
struct FlunderStrategy: ResourceStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        let type = object[path: "spec", "referenceType"]?.stringValue ?? ""
        var errors: [FieldError] = []
        if !type.isEmpty, !["Flunder", "Fischer"].contains(type) {
            errors.append(.notSupported("spec.referenceType", .string(type), supported: ["Flunder", "Fischer"]))
        }
        if type.isEmpty, !(object[path: "spec", "reference"]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.referenceType", "must be set when spec.reference is"))
        }
        return errors
    }
}

/// Fischers: anything goes.
struct FischerStrategy: ResourceStrategy {}
