import SkiffAPI

extension HorizontalPodAutoscalerStrategy {
    static let metricTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"]

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for field in ["kind", "name"] where object.stringValue(at: "spec", "scaleTargetRef", field).isEmpty {
            errors.append(.required("spec.scaleTargetRef.\(field)"))
        }
        let minReplicas = object.intValue(at: "spec", "minReplicas")
        let maxReplicas = object.intValue(at: "spec", "maxReplicas")
        if object[path: "spec", "minReplicas"] != nil, minReplicas < 1 {
            errors.append(.invalid("spec.minReplicas", .int(minReplicas), "must be greater than or equal to 1"))
        }
        if maxReplicas < 1 {
            errors.append(.invalid("spec.maxReplicas", .int(maxReplicas), "must be greater than 0"))
        } else if object[path: "spec", "minReplicas"] != nil, maxReplicas < minReplicas {
            errors.append(.invalid("spec.maxReplicas", .int(maxReplicas), "must be greater than or equal to `minReplicas`"))
        }
        for (index, metric) in object.elements(at: "spec", "metrics").enumerated() {
            errors += Self.validateMetric(metric, path: "spec.metrics[\(index)]")
        }
        return errors
    }

    /// A metric names a supported type and carries that type's source; a resource's utilization
    /// target is positive.
    private static func validateMetric(_ metric: JSONValue, path: String) -> [FieldError] {
        let type = metric.stringValue(at: "type")
        guard metricTypes.contains(type) else {
            return type.isEmpty ? [.required("\(path).type", "must specify a metric source type")]
                : [.notSupported("\(path).type", .string(type), supported: metricTypes)]
        }
        let member = type.prefix(1).lowercased() + type.dropFirst()
        guard let source = metric[member], source != .null else {
            return [.required("\(path).\(member)", "must populate information for the given metric source")]
        }
        guard type == "Resource" || type == "ContainerResource" else { return [] }
        var errors: [FieldError] = []
        if source.stringValue(at: "name").isEmpty { errors.append(.required("\(path).\(member).name")) }
        if let utilization = source[path: "target", "averageUtilization"]?.intValue, utilization <= 0 {
            errors.append(.invalid("\(path).\(member).target.averageUtilization", .int(utilization), "must be greater than 0"))
        }
        return errors
    }
}
