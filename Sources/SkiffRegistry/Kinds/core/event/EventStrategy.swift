import Foundation
import SkiffAPI

/// core/v1 Events: any path-segment name, upstream's legacy validation, selectable by the
/// involved object, reason, source and type, and kubectl's LAST SEEN/TYPE/REASON/OBJECT/MESSAGE
/// columns. events.k8s.io/v1 Events share this storage and logic (see `EventsV1Strategy`).
struct EventStrategy: ResourceStrategy {
    var nameRule: NameValidation.Rule { .pathSegment }

    private static let involvedObjectFields = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"]

    var selectableFields: [String] {
        Self.involvedObjectFields.map { "involvedObject.\($0)" } + ["reason", "reportingComponent", "source", "type"]
    }

    func fieldValues(of object: JSONValue) -> [String: String] {
        var fields: [String: String] = [:]
        for field in Self.involvedObjectFields {
            fields["involvedObject.\(field)"] = object.stringValue(at: "involvedObject", field)
        }
        fields["reason"] = object.stringValue(at: "reason")
        fields["reportingComponent"] = object.stringValue(at: "reportingComponent")
        let component = object.stringValue(at: "source", "component")
        fields["source"] = component.isEmpty ? object.stringValue(at: "reportingComponent") : component
        fields["type"] = object.stringValue(at: "type")
        return fields
    }

    /// The members upstream always writes: zero timestamps as `null`, empty reporting fields,
    /// an empty source and involved object.
    func applyDefaults(to object: inout JSONValue) {
        for field in ["eventTime", "firstTimestamp", "lastTimestamp"] where object[field] == nil { object[field] = .null }
        object.setDefault("reportingComponent", "")
        object.setDefault("reportingInstance", "")
        object.setDefault("source", .emptyObject)
        object.setDefault("involvedObject", .emptyObject)
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        validate(object, reportingField: "reportingComponent")
    }

    /// Upstream's legacy event validation, which both APIs apply; `reportingField` names the
    /// reporting controller as the request's API does.
    func validate(_ event: JSONValue, reportingField: String) -> [FieldError] {
        var errors: [FieldError] = []
        let namespace = event.namespace ?? ""
        let involvedNamespace = event.stringValue(at: "involvedObject", "namespace")
        let mismatch = FieldError.invalid("involvedObject.namespace", .string(involvedNamespace), "does not match event.namespace")
        if event["eventTime"] == nil || event["eventTime"] == .null {
            if involvedNamespace.isEmpty ? !["", "default"].contains(namespace) : namespace != involvedNamespace { errors.append(mismatch) }
            return errors
        }
        if involvedNamespace.isEmpty && !["default", "kube-system"].contains(namespace) { errors.append(mismatch) }
        let controller = event.stringValue(at: "reportingComponent")
        if controller.isEmpty { errors.append(.required(reportingField)) }
        errors += LabelSelector.validateKey(controller).map { .invalid(reportingField, .string(controller), $0) }
        for (field, limit) in [("reportingInstance", 128), ("action", 128), ("reason", 128)] {
            let value = event.stringValue(at: field)
            if value.isEmpty { errors.append(.required(field)) }
            if value.utf8.count > limit { errors.append(.invalid(field, "", "can have at most \(limit) characters")) }
        }
        if event.stringValue(at: "message").utf8.count > 4096 { errors.append(.invalid("message", "", "can have at most 4096 characters")) }
        return errors
    }

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
