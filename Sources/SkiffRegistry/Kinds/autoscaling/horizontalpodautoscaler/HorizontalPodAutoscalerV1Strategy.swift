import SkiffAPI

/// autoscaling/v1 HorizontalPodAutoscalers: a view of the autoscaling/v2 storage, converted as
/// upstream (`targetCPUUtilizationPercentage` ↔ a CPU utilization `Resource` metric,
/// `currentCPUUtilizationPercentage` ↔ its current value). Defaults, validation and the table are
/// v2's, applied to the converted form. Departure: v2-only fields (other metrics, `behavior`,
/// conditions) are not carried in v1 annotations, so a v1 update drops them.
struct HorizontalPodAutoscalerV1Strategy: StatusKeepingStrategy {
    let v2 = HorizontalPodAutoscalerStrategy()

    var initialStatus: JSONValue? { ["currentReplicas": 0, "desiredReplicas": 0] }

    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { $0.setDefault("minReplicas", 1) }
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = v2.validate(toStorage(object))
        if let target = object[path: "spec", "targetCPUUtilizationPercentage"]?.intValue, target < 1 {
            errors.append(.invalid("spec.targetCPUUtilizationPercentage", .int(target), "must be greater than or equal to 1"))
        }
        return errors.filter { !$0.field.hasPrefix("spec.metrics") }
    }

    func toStorage(_ object: JSONValue) -> JSONValue {
        var stored = object
        stored.apiVersion = "autoscaling/v2"
        var spec = object["spec"] ?? .emptyObject
        if let target = spec["targetCPUUtilizationPercentage"] { spec["metrics"] = [HorizontalPodAutoscalerStrategy.cpuUtilizationMetric(target)] }
        spec["targetCPUUtilizationPercentage"] = nil
        stored["spec"] = spec
        if var status = object["status"] {
            if let current = status["currentCPUUtilizationPercentage"] {
                status["currentMetrics"] = [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": current]]]]
            }
            status["currentCPUUtilizationPercentage"] = nil
            if status["currentReplicas"] == 0 { status["currentReplicas"] = nil }
            stored["status"] = status
        }
        v2.applyDefaults(to: &stored)
        return stored
    }

    func fromStorage(_ object: JSONValue) -> JSONValue {
        var served = object
        served.apiVersion = "autoscaling/v1"
        var spec: JSONValue = .emptyObject
        for field in ["scaleTargetRef", "minReplicas", "maxReplicas"] { spec[field] = object[path: "spec", field] }
        spec["targetCPUUtilizationPercentage"] = Self.cpuMetric(object.elements(at: "spec", "metrics"))?[path: "resource", "target", "averageUtilization"]
        served["spec"] = spec
        var status: JSONValue = ["currentReplicas": object[path: "status", "currentReplicas"] ?? 0,
                                 "desiredReplicas": object[path: "status", "desiredReplicas"] ?? 0]
        for field in ["observedGeneration", "lastScaleTime"] { status[field] = object[path: "status", field] }
        status["currentCPUUtilizationPercentage"] = Self.cpuMetric(object.elements(at: "status", "currentMetrics"))?[path: "resource", "current", "averageUtilization"]
        served["status"] = status
        return served
    }

    /// The CPU `Resource` metric among `metrics`.
    private static func cpuMetric(_ metrics: [JSONValue]) -> JSONValue? {
        metrics.first { $0.stringValue(at: "type") == "Resource" && $0.stringValue(at: "resource", "name") == "cpu" }
    }

    var tableColumns: [TableColumn] { v2.tableColumns }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] { v2.tableCells(for: toStorage(object), now: now) }
}
