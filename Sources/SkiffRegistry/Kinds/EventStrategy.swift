import SkiffAPI

/// core/v1 Events: selectable by the involved object, reason, source and type; kubectl's
/// LAST SEEN / TYPE / REASON / OBJECT / MESSAGE columns.
struct EventStrategy: ResourceStrategy {
    var nameRule: NameValidation.Rule { .pathSegment }

    var selectableFields: [String] {
        ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
         "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
         "reason", "reportingComponent", "source", "type"]
    }

    func fieldValues(of object: JSONValue) -> [String: String] {
        var fields: [String: String] = [:]
        for field in ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"] {
            fields["involvedObject.\(field)"] = object[path: "involvedObject", field]?.stringValue ?? ""
        }
        fields["reason"] = object["reason"]?.stringValue ?? ""
        fields["reportingComponent"] = object["reportingComponent"]?.stringValue ?? ""
        fields["source"] = object[path: "source", "component"]?.stringValue ?? ""
        fields["type"] = object["type"]?.stringValue ?? ""
        return fields
    }

    var tableColumns: [TableColumn] {
        [TableColumn("Last Seen"), TableColumn("Type"), TableColumn("Reason"), TableColumn("Object"),
         TableColumn("Subobject", priority: 1), TableColumn("Source", priority: 1), TableColumn("Message"),
         TableColumn("First Seen", priority: 1), TableColumn("Count", type: "integer", priority: 1), TableColumn("Name", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let last = object["lastTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue
            ?? object[path: "series", "lastObservedTime"]?.stringValue
        let first = object["firstTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue
        let involved = object["involvedObject"] ?? .emptyObject
        let kind = (involved["kind"]?.stringValue ?? "").lowercased()
        let source = [object[path: "source", "component"]?.stringValue, object[path: "source", "host"]?.stringValue]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        return [
            .string(Age.since(rfc3339: last, now: now)), object["type"] ?? "", object["reason"] ?? "",
            .string("\(kind)/\(involved["name"]?.stringValue ?? "")"), .string(involved["fieldPath"]?.stringValue ?? ""),
            .string(source), .string((object["message"]?.stringValue ?? "").trimmingTrailingNewlines),
            .string(Age.since(rfc3339: first, now: now)), .int(object["count"]?.intValue ?? 1), .string(object.name ?? ""),
        ]
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
