import SkiffAPI

extension StorageClassStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Provisioner"), TableColumn("ReclaimPolicy"), TableColumn("VolumeBindingMode"),
         TableColumn("AllowVolumeExpansion"), .age]
    }

    /// NAME carries ` (default)` for the default class.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let isDefault = ["true", "True"].contains(object.annotations[Self.defaultClassAnnotation] ?? "")
        return [.string((object.name ?? "") + (isDefault ? " (default)" : "")), .string(object.stringValue(at: "provisioner")),
                .string(object[path: "reclaimPolicy"]?.stringValue ?? "Delete"),
                .string(object[path: "volumeBindingMode"]?.stringValue ?? "Immediate"),
                .string(object["allowVolumeExpansion"]?.boolValue == true ? "true" : "false"), .string(Age.since(object, now: now))]
    }
}
