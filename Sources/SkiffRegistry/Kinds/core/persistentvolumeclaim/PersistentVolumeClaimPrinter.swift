import SkiffAPI

extension PersistentVolumeClaimStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status"), TableColumn("Volume"), TableColumn("Capacity"), TableColumn("Access Modes"),
         TableColumn("StorageClass", description: "StorageClass of the pvc"),
         TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pvc"), .age, TableColumn("VolumeMode", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let phase = object.deletionTimestamp != nil ? "Terminating" : object.stringValue(at: "status", "phase")
        let volume = object.stringValue(at: "spec", "volumeName")
        var capacity = ""
        var modes = ""
        if !volume.isEmpty {
            capacity = object[path: "status", "capacity", "storage"].flatMap(\.stringValue) ?? "0"
            modes = Self.accessModes(object.elements(at: "status", "accessModes").compactMap(\.stringValue))
        }
        let storageClass = object.annotations["volume.beta.kubernetes.io/storage-class"] ?? object.stringValue(at: "spec", "storageClassName")
        return [
            .string(object.name ?? ""), .string(phase), .string(volume), .string(capacity), .string(modes), .string(storageClass),
            .string(object[path: "spec", "volumeAttributesClassName"]?.stringValue ?? "<unset>"), .string(Age.since(object, now: now)),
            .string(object[path: "spec", "volumeMode"]?.stringValue ?? "<unset>"),
        ]
    }

    /// Access modes as kubectl abbreviates them, in upstream's fixed order (`RWO,ROX,RWX,RWOP`).
    static func accessModes(_ modes: [String]) -> String {
        [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
            .filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
