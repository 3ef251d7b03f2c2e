import SkiffAPI

/// events.k8s.io/v1 Events: another view of the core/v1 Events in the same storage, as upstream
/// (an event written through either API is read through both), converted field by field. The
/// table, field selectors and legacy validation are core/v1's, applied to the core form; new
/// events must also pass the stricter events.k8s.io rules.
struct EventsV1Strategy: ResourceStrategy {
    let core = EventStrategy()

    var nameRule: NameValidation.Rule { .dns1123Subdomain }

    /// events.k8s.io/v1 field ↔ core/v1 field.
    private static let renames = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    /// Field selector labels of this API and the core/v1 labels they stand for.
    private static let selectorLabels = [
        ("reason", "reason"), ("reportingController", "reportingComponent"), ("type", "type"),
    ] + ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"].map { ("regarding.\($0)", "involvedObject.\($0)") }

    func toStorage(_ object: JSONValue) -> JSONValue {
        var stored = object
        for (served, storedName) in Self.renames {
            stored[storedName] = stored[served]
            stored[served] = nil
        }
        stored.apiVersion = "v1"
        core.applyDefaults(to: &stored)
        return stored
    }

    /// The served form has upstream's shape: zero times as `null`, empty strings left out.
    func fromStorage(_ object: JSONValue) -> JSONValue {
        var served = object
        for (servedName, stored) in Self.renames {
            served[servedName] = served[stored]
            served[stored] = nil
        }
        for field in ["reportingController", "reportingInstance", "action", "reason", "note", "type"] where served[field] == "" {
            served[field] = nil
        }
        for field in ["eventTime", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"] where served[field] == nil { served[field] = .null }
        served.setDefault("deprecatedSource", .emptyObject)
        served.setDefault("regarding", .emptyObject)
        served.apiVersion = "events.k8s.io/v1"
        return served
    }

    var selectableFields: [String] { Self.selectorLabels.map(\.0) }

    func fieldValues(of object: JSONValue) -> [String: String] {
        let coreValues = core.fieldValues(of: toStorage(object))
        return Dictionary(uniqueKeysWithValues: Self.selectorLabels.map { ($0.0, coreValues[$0.1] ?? "") })
    }

    /// Events created through this API must be new-style: an event time, a known type, and no
    /// deprecated fields (upstream's create-only rules).
    func beforeCreate(_ object: inout JSONValue, context: StrategyContext) async throws(APIError) {
        var errors: [FieldError] = []
        if object["eventTime"] == nil || object["eventTime"] == .null { errors.append(.required("eventTime")) }
        let type = object.stringValue(at: "type")
        if type != "Normal" && type != "Warning" { errors.append(.invalid("type", "", "has invalid value: \(type)")) }
        for field in ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"] where object[field] != nil && object[field] != .null {
            errors.append(.invalid(field, "", "needs to be unset"))
        }
        if object.intValue(at: "deprecatedCount") != 0 { errors.append(.invalid("deprecatedCount", "", "needs to be unset")) }
        if !object.stringValue(at: "deprecatedSource", "component").isEmpty || !object.stringValue(at: "deprecatedSource", "host").isEmpty {
            errors.append(.invalid("deprecatedSource", "", "needs to be unset"))
        }
        if !errors.isEmpty { throw .invalid(kind: GroupKind(group: "events.k8s.io", kind: "Event"), name: object.name ?? "", errors: errors) }
    }
}
