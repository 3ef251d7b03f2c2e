import SkiffAPI

extension NamespaceStrategy {
    func applyDefaults(to object: inout JSONValue) {
        if let name = object.name, !name.isEmpty { object[path: "metadata", "labels", "kubernetes.io/metadata.name"] = .string(name) }
        object.setDefault("spec", .emptyObject)
        object.setDefault("status", .emptyObject)
        object.editMember("status") { $0.setDefault("phase", "Active") }
    }
}
