import SkiffAPI

/// DaemonSets (apps/v1): rolling updates replace one node at a time by default; the
/// DESIRED/CURRENT/READY/UP-TO-DATE/AVAILABLE/NODE SELECTOR columns.
struct DaemonSetStrategy: WorkloadStrategy {
    var initialStatus: JSONValue { ["currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0] }

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

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = WorkloadValidation.validateSelector(object, rule: .init(kindName: "daemonset", required: false))
        errors += WorkloadValidation.validateLongRunningTemplate(object, kindName: "DaemonSet")
        errors += FieldRules.nonNegative(object, [["spec", "minReadySeconds"]])
        let strategy = object[path: "spec", "updateStrategy"] ?? .emptyObject
        switch strategy.stringValue(at: "type") {
        case "OnDelete": break
        case "RollingUpdate":
            guard strategy["rollingUpdate"] != nil else {
                errors.append(.required("spec.updateStrategy.rollingUpdate"))
                break
            }
            let path = "spec.updateStrategy.rollingUpdate"
            let unavailable = IntOrPercent(strategy[path: "rollingUpdate", "maxUnavailable"])
            let surge = IntOrPercent(strategy[path: "rollingUpdate", "maxSurge"])
            errors += unavailable.problems(field: "\(path).maxUnavailable") + surge.problems(field: "\(path).maxSurge")
            errors += unavailable.notAbove100Percent(field: "\(path).maxUnavailable") + surge.notAbove100Percent(field: "\(path).maxSurge")
            switch (unavailable.value != 0, surge.value != 0) {
            case (true, true): errors.append(.invalid("\(path).maxSurge", surge.json, "may not be set when maxUnavailable is non-zero"))
            case (false, false): errors.append(.required("\(path).maxUnavailable", "cannot be 0 when maxSurge is 0"))
            default: break
            }
        default:
            errors.append(.notSupported("spec.updateStrategy", strategy, supported: ["RollingUpdate", "OnDelete"]))
        }
        return errors + FieldRules.nonNegative(object, [["spec", "revisionHistoryLimit"]])
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "selector"]])
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"),
         TableColumn("Up-to-date", type: "integer"), TableColumn("Available", type: "integer"), TableColumn("Node Selector"), .age,
         .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let counts = ["desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable"]
        return [.string(object.name ?? "")] + counts.map { .int(object.intValue(at: "status", $0)) }
            + [.string(TableFormat.labels(object.stringMap(at: "spec", "template", "spec", "nodeSelector"))), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"])
            + [.string(TableFormat.labelSelector(object[path: "spec", "selector"]))]
    }
}
