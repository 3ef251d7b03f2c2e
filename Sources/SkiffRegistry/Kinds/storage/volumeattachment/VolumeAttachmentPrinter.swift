import SkiffAPI

extension VolumeAttachmentStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Attacher", format: "name"), TableColumn("PV"), TableColumn("Node"), TableColumn("Attached", type: "boolean"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "spec", "attacher")),
         .string(object.stringValue(at: "spec", "source", "persistentVolumeName")), .string(object.stringValue(at: "spec", "nodeName")),
         .bool(object[path: "status", "attached"]?.boolValue ?? false), .string(Age.since(object, now: now))]
    }
}
