import SkiffAPI
import SkiffRegistry

/// Upstream's naming controller as a pure function: which of a CRD's requested names it may have
/// (those no other CRD of its group, nor a built-in resource of the group, uses), and its
/// `NamesAccepted` and `Established` conditions.
struct CustomResourceDefinitionNames {
    /// Names in use in the CRD's group by others: resources (plural, singular, short names) and kinds.
    var usedResources: Set<String> = []
    var usedKinds: Set<String> = []

    /// The names used by `others` (CRDs of the group, by their accepted names) and `builtins`.
    init(group: String, others: [JSONValue], builtins: [ResourceInfo]) {
        for other in others where other[path: "spec", "group"]?.stringValue == group {
            let names = other[path: "status", "acceptedNames"] ?? .emptyObject
            for field in ["plural", "singular"] {
                if let value = names[field]?.stringValue, !value.isEmpty { usedResources.insert(value) }
            }
            usedResources.formUnion((names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue))
            for field in ["kind", "listKind"] {
                if let value = names[field]?.stringValue, !value.isEmpty { usedKinds.insert(value) }
            }
        }
        for info in builtins where info.group == group {
            usedResources.formUnion([info.plural, info.singular] + info.shortNames)
            usedKinds.formUnion([info.kind, info.listKind])
        }
    }

    /// The status `crd` should have: accepted names and the naming conditions, at `now`.
    func status(of crd: JSONValue, now: Timestamp) -> JSONValue {
        let requested = crd[path: "spec", "names"] ?? .emptyObject
        var accepted = crd[path: "status", "acceptedNames"] ?? .emptyObject
        var conflict: (reason: String, message: String)?
        func take(_ field: String, used: Set<String>, reason: String) {
            let value = requested[field]?.stringValue ?? ""
            if !value.isEmpty, used.contains(value) {
                if conflict == nil { conflict = (reason, "\"\(value)\" is already in use") }
            } else {
                accepted[field] = requested[field]
            }
        }
        take("plural", used: usedResources, reason: "PluralConflict")
        take("singular", used: usedResources, reason: "SingularConflict")
        let shortNames = (requested["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)
        if let taken = shortNames.first(where: usedResources.contains) {
            if conflict == nil { conflict = ("ShortNamesConflict", "\"\(taken)\" is already in use") }
        } else {
            accepted["shortNames"] = shortNames.isEmpty ? nil : requested["shortNames"]
        }
        take("kind", used: usedKinds, reason: "KindConflict")
        take("listKind", used: usedKinds, reason: "ListKindConflict")
        let categories = requested["categories"]?.arrayValue ?? []
        accepted["categories"] = categories.isEmpty ? nil : .array(categories)

        var status = crd["status"] ?? .emptyObject
        status["acceptedNames"] = accepted
        let namesAccepted = conflict == nil
        var conditions = Conditions(status["conditions"])
        conditions.set("NamesAccepted", status: namesAccepted, reason: conflict?.reason ?? "NoConflicts",
                       message: conflict?.message ?? "no conflicts found", now: now)
        if !conditions.isTrue("Established") {
            if namesAccepted {
                conditions.set("Established", status: true, reason: "InitialNamesAccepted",
                               message: "the initial names have been accepted", now: now)
            } else {
                conditions.set("Established", status: false, reason: "NotAccepted", message: "not all names are accepted", now: now)
            }
        }
        status["conditions"] = conditions.json
        return status
    }
}

/// A CRD's `status.conditions`, set as upstream's `SetCRDCondition`: the transition time moves
/// only when the status changes.
struct Conditions {
    var items: [JSONValue]

    init(_ json: JSONValue?) {
        items = json?.arrayValue ?? []
    }

    var json: JSONValue { .array(items) }

    func isTrue(_ type: String) -> Bool {
        items.contains { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" }
    }

    mutating func set(_ type: String, status: Bool, reason: String, message: String, now: Timestamp) {
        let statusText = status ? "True" : "False"
        var condition: JSONValue = [
            "type": .string(type), "status": .string(statusText), "reason": .string(reason), "message": .string(message),
            "lastTransitionTime": .string(now.rfc3339),
        ]
        if let index = items.firstIndex(where: { $0["type"]?.stringValue == type }) {
            if items[index]["status"]?.stringValue == statusText { condition["lastTransitionTime"] = items[index]["lastTransitionTime"] }
            items[index] = condition
        } else {
            items.append(condition)
        }
    }
}
