import SkiffAPI

extension DaemonSetStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("updateStrategy", .emptyObject)
            spec.editMember("updateStrategy") { strategy in
                strategy.setDefault("type", "RollingUpdate")
                guard strategy["type"] == "RollingUpdate" else { return }
                strategy.setDefault("rollingUpdate", .emptyObject)
                strategy.editMember("rollingUpdate") { rolling in
                    rolling.setDefault("maxUnavailable", 1)
                    rolling.setDefault("maxSurge", 0)
                }
            }
            spec.setDefault("revisionHistoryLimit", 10)
        }
        PodTemplate.applyDefaults(inWorkload: &object)
    }
}
