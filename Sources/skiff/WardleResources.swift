import SkiffAPI
import SkiffRegistry
import SkiffSchemas

/// The kinds of upstream's sample extension server (`wardle.example.com/v1alpha1`): `Flunder`
/// (namespaced; `spec.reference` names a Flunder or a Fischer as `spec.referenceType` says) and
/// `Fischer` (cluster-scoped; `disallowedFlunders` lists names).
enum WardleResources {
    static let group = "wardle.example.com"
    static let version = "v1alpha1"

    static var entries: [Registry.Entry] {
        [
            Registry.Entry(info: ResourceInfo(group: group, version: version, kind: "Flunder", plural: "flunders", namespaced: true,
                                              definitionName: flunder),
                           strategy: FlunderStrategy()),
            Registry.Entry(info: ResourceInfo(group: group, version: version, kind: "Fischer", plural: "fischers", namespaced: false,
                                              definitionName: fischer),
                           strategy: FischerStrategy()),
        ]
    }

    static let flunder = "com.example.wardle.v1alpha1.Flunder"
    static let fischer = "com.example.wardle.v1alpha1.Fischer"

    /// The OpenAPI definitions of both kinds and their lists, as the sample publishes them.
    static let definitions: [String: JSONValue] = {
        let flunderSpec: JSONValue = ["type": "object", "properties": [
            "reference": ["type": "string", "description": "A name of another flunder or fischer, depending on the reference type."],
            "referenceType": ["type": "string", "description": "The reference type: Flunder or Fischer."],
        ]]
        let flunders = KindDefinitions.definitions(name: flunder, group: group, version: version, kind: "Flunder", schema: [
            "properties": ["spec": flunderSpec, "status": ["type": "object"]],
        ])
        let fischers = KindDefinitions.definitions(name: fischer, group: group, version: version, kind: "Fischer", schema: [
            "properties": ["disallowedFlunders": ["type": "array", "items": ["type": "string"], "description": "The names of the flunders this fischer does not allow."]],
        ])
        return flunders.merging(fischers) { first, _ in first }
    }()
}

/// Flunders: `spec.referenceType` is `Flunder` or `Fischer`, and a reference needs one (the
/// sample's validation).
struct FlunderStrategy: ResourceStrategy {
    var openAPIDefinitions: [String: JSONValue] { WardleResources.definitions }

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
struct FischerStrategy: ResourceStrategy {
    var openAPIDefinitions: [String: JSONValue] { WardleResources.definitions }
}
