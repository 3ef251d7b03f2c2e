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
}
