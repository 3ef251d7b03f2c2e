import SkiffAPI

/// CustomResourceDefinitions (stored; serving custom resources comes later): names default from
/// the kind, the status starts with the storage version, and the checks users commonly hit —
/// the name is `<plural>.<group>`, one storage version, schemas present.
struct CustomResourceDefinitionStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    func prepareForCreate(_ object: inout JSONValue) {
        let storageVersion = object.elements(at: "spec", "versions").first { $0["storage"]?.boolValue == true }?["name"]
        object["status"] = ["acceptedNames": ["plural": "", "kind": ""], "storedVersions": .array(storageVersion.map { [$0] } ?? [])]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }
}
