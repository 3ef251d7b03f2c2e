import SkiffAPI

extension HorizontalPodAutoscalerStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Reference", description: "reference to scaled resource"),
         TableColumn("Targets", description: "the metrics used to calculate the desired replica count"),
         TableColumn("MinPods", description: "the lower limit for the number of pods"),
         TableColumn("MaxPods", type: "integer", description: "the upper limit for the number of pods"),
         TableColumn("Replicas", type: "integer", description: "current number of replicas of pods managed by this autoscaler"), .age]
    }

    /// Cells of a v2 object: REFERENCE is `Kind/name`, MINPODS `<unset>` when missing.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let reference = object.stringValue(at: "spec", "scaleTargetRef", "kind") + "/" + object.stringValue(at: "spec", "scaleTargetRef", "name")
        let minPods = object[path: "spec", "minReplicas"]?.intValue.map(String.init) ?? "<unset>"
        return [.string(object.name ?? ""), .string(reference), .string(Self.targets(object)), .string(minPods),
                .int(object.intValue(at: "spec", "maxReplicas")), .int(object.intValue(at: "status", "currentReplicas")),
                .string(Age.since(object, now: now))]
    }

    /// TARGETS: `current/target` for each metric (a resource utilization as `cpu: 12%/80%`,
    /// `<unknown>` before the first measurement), up to 3, `<none>` without metrics.
    static func targets(_ object: JSONValue) -> String {
        let metrics = object.elements(at: "spec", "metrics")
        guard !metrics.isEmpty else { return "<none>" }
        let statuses = object.elements(at: "status", "currentMetrics")
        let cells = metrics.prefix(3).enumerated().map { index, metric -> String in
            let type = metric.stringValue(at: "type")
            let member = type.prefix(1).lowercased() + type.dropFirst()
            let target = metric[path: member, "target"] ?? .emptyObject
            let current = index < statuses.count ? statuses[index][path: member, "current"] : nil
            if let average = target["averageValue"] ?? target["value"], target["averageUtilization"] == nil {
                let now = current?["averageValue"] ?? current?["value"]
                return "\(now.flatMap(quantityText) ?? "<unknown>")/\(quantityText(average) ?? "")"
            }
            let now = current?["averageUtilization"]?.intValue.map { "\($0)%" } ?? "<unknown>"
            let goal = target["averageUtilization"]?.intValue.map { "\($0)%" } ?? "<auto>"
            let name = metric.stringValue(at: member, "name")
            return name.isEmpty ? "\(now)/\(goal)" : "\(name): \(now)/\(goal)"
        }
        return TableFormat.list(cells, total: metrics.count)
    }

    private static func quantityText(_ value: JSONValue) -> String? {
        value.stringValue ?? value.intValue.map(String.init)
    }
}
