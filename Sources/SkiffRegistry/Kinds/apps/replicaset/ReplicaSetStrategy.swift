import SkiffAPI

/// ReplicaSets (apps/v1): `status.replicas` is selectable; DESIRED/CURRENT/READY columns.
struct ReplicaSetStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }
    var initialStatus: JSONValue { ["replicas": 0] }
    var selectableFields: [String] { ["status.replicas"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["status.replicas": String(object.intValue(at: "status", "replicas"))]
    }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { $0.setDefault("replicas", 1) }
        PodTemplate.applyDefaults(inWorkload: &object)
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        FieldRules.nonNegative(object, [["spec", "replicas"], ["spec", "minReadySeconds"]])
            // Upstream's replica set validation names deployments in this message.
            + WorkloadValidation.validateSelector(object, rule: .init(kindName: "deployment"))
            + WorkloadValidation.validateLongRunningTemplate(object, kindName: "ReplicaSet")
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "selector"]])
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"),
         .age, .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(object.intValue(at: "spec", "replicas")), .int(object.intValue(at: "status", "replicas")),
         .int(object.intValue(at: "status", "readyReplicas")), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"])
            + [.string(TableFormat.labelSelector(object[path: "spec", "selector"]))]
    }
}
