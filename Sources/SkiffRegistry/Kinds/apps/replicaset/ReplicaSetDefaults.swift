import SkiffAPI

extension ReplicaSetStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { $0.setDefault("replicas", 1) }
        PodTemplate.applyDefaults(inWorkload: &object)
    }
}
