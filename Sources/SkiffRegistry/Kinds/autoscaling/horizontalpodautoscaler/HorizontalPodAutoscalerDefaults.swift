import SkiffAPI

extension HorizontalPodAutoscalerStrategy {
    /// One replica at least; an 80% CPU utilization target when no metric is given; a given
    /// `behavior` completed with upstream's scale-up and scale-down rules.
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("minReplicas", 1)
            if spec.elements(at: "metrics").isEmpty {
                spec["metrics"] = [Self.cpuUtilizationMetric(80)]
            }
            spec.editMember("behavior") { behavior in
                behavior.setDefault("scaleUp", .emptyObject)
                behavior.editMember("scaleUp") { rules in
                    rules.setDefault("stabilizationWindowSeconds", 0)
                    rules.setDefault("selectPolicy", "Max")
                    rules.setDefault("policies", [["type": "Pods", "value": 4, "periodSeconds": 15], ["type": "Percent", "value": 100, "periodSeconds": 15]])
                }
                behavior.setDefault("scaleDown", .emptyObject)
                behavior.editMember("scaleDown") { rules in
                    rules.setDefault("stabilizationWindowSeconds", 300)
                    rules.setDefault("selectPolicy", "Max")
                    rules.setDefault("policies", [["type": "Percent", "value": 100, "periodSeconds": 15]])
                }
            }
        }
    }

    /// A `Resource` metric targeting an average CPU utilization.
    static func cpuUtilizationMetric(_ percent: JSONValue) -> JSONValue {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": percent]]]
    }
}
