import SkiffAPI

extension DeploymentStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("replicas", 1)
            spec.setDefault("strategy", .emptyObject)
            spec.editMember("strategy") { strategy in
                strategy.setDefault("type", "RollingUpdate")
                guard strategy["type"] == "RollingUpdate" else { return }
                strategy.setDefault("rollingUpdate", .emptyObject)
                strategy.editMember("rollingUpdate") { rolling in
                    rolling.setDefault("maxUnavailable", "25%")
                    rolling.setDefault("maxSurge", "25%")
                }
            }
            spec.setDefault("revisionHistoryLimit", 10)
            spec.setDefault("progressDeadlineSeconds", 600)
        }
        PodTemplate.applyDefaults(inWorkload: &object)
    }
}
