import SkiffAPI

extension PodStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            PodSpecDefaults.apply(to: &spec)
            PodSpecDefaults.applyPodOnly(to: &spec)
        }
    }
}
