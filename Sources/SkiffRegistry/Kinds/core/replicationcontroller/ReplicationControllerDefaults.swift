import SkiffAPI

extension ReplicationControllerStrategy {
    /// One replica; an empty selector and empty object labels take the template's labels.
    func applyDefaults(to object: inout JSONValue) {
        let templateLabels = PodTemplate.labels(object[path: "spec", "template"])
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("replicas", 1)
            if (spec["selector"]?.objectValue ?? [:]).isEmpty, !templateLabels.isEmpty {
                spec["selector"] = .object(templateLabels.mapValues { .string($0) })
            }
        }
        if object.labels.isEmpty, !templateLabels.isEmpty {
            object[path: "metadata", "labels"] = .object(templateLabels.mapValues { .string($0) })
        }
        if object[path: "spec", "template"] != nil { PodTemplate.applyDefaults(inWorkload: &object) }
    }
}
