import SkiffAPI

extension PersistentVolumeStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Capacity"), TableColumn("Access Modes"), TableColumn("Reclaim Policy"), TableColumn("Status"),
         TableColumn("Claim"), TableColumn("StorageClass", description: "StorageClass of the pv"),
         TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pv"), TableColumn("Reason"), .age,
         TableColumn("VolumeMode", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let namespace = object.stringValue(at: "spec", "claimRef", "namespace")
        let claimName = object.stringValue(at: "spec", "claimRef", "name")
        let claim = object[path: "spec", "claimRef"] == nil ? "" : namespace + "/" + claimName
        let phase = object.deletionTimestamp != nil ? "Terminating" : object.stringValue(at: "status", "phase")
        let storageClass = object.annotations["volume.beta.kubernetes.io/storage-class"] ?? object.stringValue(at: "spec", "storageClassName")
        return [
            .string(object.name ?? ""), .string(object[path: "spec", "capacity", "storage"].flatMap(\.stringValue) ?? "0"),
            .string(PersistentVolumeClaimStrategy.accessModes(object.elements(at: "spec", "accessModes").compactMap(\.stringValue))),
            .string(object.stringValue(at: "spec", "persistentVolumeReclaimPolicy")), .string(phase), .string(claim),
            .string(storageClass), .string(object[path: "spec", "volumeAttributesClassName"]?.stringValue ?? "<unset>"),
            .string(object.stringValue(at: "status", "reason")), .string(Age.since(object, now: now)),
            .string(object[path: "spec", "volumeMode"]?.stringValue ?? "<unset>"),
        ]
    }
}
