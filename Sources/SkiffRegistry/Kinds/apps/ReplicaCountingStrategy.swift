import SkiffAPI

/// Kinds that keep a number of identical pods running (replica sets, replication controllers):
/// the `scale` subresource at `spec.replicas`, a zero replica count at creation, `status.replicas`
/// selectable, and the DESIRED/CURRENT/READY columns with the wide CONTAINERS/IMAGES/SELECTOR.
protocol ReplicaCountingStrategy: WorkloadStrategy {
    /// The wide SELECTOR cell (the two kinds' selectors have different shapes).
    func selectorCell(_ object: JSONValue) -> String

    /// Whether `spec.selector` is a plain label map (replication controllers) rather than a
    /// `metav1.LabelSelector`.
    var selectorIsLabelMap: Bool { get }
}

extension ReplicaCountingStrategy {
    var selectorIsLabelMap: Bool { false }

    var scalePaths: ScalePaths? {
        var paths = ScalePaths()
        paths.selectorIsLabelMap = selectorIsLabelMap
        return paths
    }

    var initialStatus: JSONValue { ["replicas": 0] }

    var selectableFields: [String] { ["status.replicas"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["status.replicas": String(object.intValue(at: "status", "replicas"))]
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"),
         .age, .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(object.intValue(at: "spec", "replicas")), .int(object.intValue(at: "status", "replicas")),
         .int(object.intValue(at: "status", "readyReplicas")), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"]) + [.string(selectorCell(object))]
    }
}
