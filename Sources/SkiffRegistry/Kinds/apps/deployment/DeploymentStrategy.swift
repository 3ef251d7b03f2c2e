import SkiffAPI

/// Deployments (apps/v1): defaults, validation and the READY/UP-TO-DATE/AVAILABLE columns.
struct DeploymentStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }

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

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = FieldRules.nonNegative(object, [["spec", "replicas"]])
        errors += WorkloadValidation.validateSelector(object, rule: .init(kindName: "deployment"))
        errors += WorkloadValidation.validateLongRunningTemplate(object, kindName: "ReplicaSet")
        errors += validateStrategy(object[path: "spec", "strategy"])
        errors += FieldRules.nonNegative(object, [["spec", "minReadySeconds"], ["spec", "revisionHistoryLimit"], ["spec", "progressDeadlineSeconds"]])
        if let deadline = object[path: "spec", "progressDeadlineSeconds"]?.intValue, deadline <= object.intValue(at: "spec", "minReadySeconds") {
            errors.append(.invalid("spec.progressDeadlineSeconds", .int(deadline), "must be greater than minReadySeconds"))
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "selector"]])
    }

    private func validateStrategy(_ strategy: JSONValue?) -> [FieldError] {
        switch strategy?.stringValue(at: "type") {
        case "Recreate":
            guard strategy?["rollingUpdate"] != nil else { return [] }
            return [.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        case "RollingUpdate":
            let unavailable = IntOrPercent(strategy?[path: "rollingUpdate", "maxUnavailable"])
            let surge = IntOrPercent(strategy?[path: "rollingUpdate", "maxSurge"])
            var errors = unavailable.problems(field: "spec.strategy.rollingUpdate.maxUnavailable")
                + surge.problems(field: "spec.strategy.rollingUpdate.maxSurge")
            if unavailable.value == 0 && surge.value == 0 {
                errors.append(.invalid("spec.strategy.rollingUpdate.maxUnavailable", unavailable.json, "may not be 0 when `maxSurge` is 0"))
            }
            return errors + unavailable.notAbove100Percent(field: "spec.strategy.rollingUpdate.maxUnavailable")
        default:
            return [.notSupported("spec.strategy", strategy ?? .null, supported: ["Recreate", "RollingUpdate"])]
        }
    }

    var tableColumns: [TableColumn] {
        [.name, .readyReplicas, TableColumn("Up-to-date"), TableColumn("Available"), .age, .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let ready = object.intValue(at: "status", "readyReplicas")
        let desired = object.intValue(at: "spec", "replicas")
        // Upstream prints the selector's plain string here: empty rather than `<none>`.
        var selector = ""
        if let given = object[path: "spec", "selector"], given != .null {
            selector = (try? LabelSelector(selector: given))?.description ?? "<invalid>"
        }
        return [.string(object.name ?? ""), .string("\(ready)/\(desired)"), .int(object.intValue(at: "status", "updatedReplicas")),
                .int(object.intValue(at: "status", "availableReplicas")), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"]) + [.string(selector)]
    }
}
