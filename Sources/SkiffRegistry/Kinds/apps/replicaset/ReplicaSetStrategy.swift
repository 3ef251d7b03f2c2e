import SkiffAPI

/// ReplicaSets (apps/v1): `status.replicas` is selectable; DESIRED/CURRENT/READY columns.
struct ReplicaSetStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }

    var initialStatus: JSONValue { ["replicas": 0] }

    var selectableFields: [String] { ["status.replicas"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["status.replicas": String(object.intValue(at: "status", "replicas"))]
    }
}
