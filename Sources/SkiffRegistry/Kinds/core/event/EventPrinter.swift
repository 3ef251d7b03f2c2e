import Foundation
import SkiffAPI

extension EventStrategy {
    var tableColumns: [TableColumn] {
        [TableColumn("Last Seen"), TableColumn("Type"), TableColumn("Reason"), TableColumn("Object"),
         TableColumn("Subobject", priority: 1), TableColumn("Source", priority: 1), TableColumn("Message"),
         TableColumn("First Seen", priority: 1), TableColumn("Count", priority: 1), TableColumn("Name", format: "name", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let first = object[path: "firstTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue
        var last = object["lastTimestamp"]?.stringValue.map { Age.since(rfc3339: $0, now: now) } ?? Age.since(rfc3339: first, now: now)
        var count = object.intValue(at: "count")
        if let series = object["series"], series != .null {
            last = Age.since(rfc3339: series["lastObservedTime"]?.stringValue, now: now)
            count = series.intValue(at: "count")
        } else if count == 0 {
            count = 1
        }
        let kind = object.stringValue(at: "involvedObject", "kind").lowercased()
        let name = object.stringValue(at: "involvedObject", "name")
        let component = object.stringValue(at: "source", "component").isEmpty ? object.stringValue(at: "reportingComponent")
            : object.stringValue(at: "source", "component")
        let host = object.stringValue(at: "source", "host").isEmpty ? object.stringValue(at: "reportingInstance")
            : object.stringValue(at: "source", "host")
        return [
            .string(last), .string(object.stringValue(at: "type")), .string(object.stringValue(at: "reason")),
            .string(name.isEmpty ? kind : "\(kind)/\(name)"), .string(object.stringValue(at: "involvedObject", "fieldPath")),
            .string(host.isEmpty ? component : "\(component), \(host)"),
            .string(object.stringValue(at: "message").trimmingCharacters(in: .whitespacesAndNewlines)),
            .string(Age.since(rfc3339: first, now: now)), .int(count), .string(object.name ?? ""),
        ]
    }
}
