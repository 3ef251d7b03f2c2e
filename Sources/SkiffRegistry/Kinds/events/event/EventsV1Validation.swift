import SkiffAPI

extension EventsV1Strategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        core.validate(toStorage(object), reportingField: "reportingController")
    }

    /// What identifies an event may not change through this API.
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        let new = toStorage(object)
        let before = toStorage(old)
        return ["involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type"].compactMap { field in
            guard new[field] != before[field] else { return nil }
            return .invalid(field == "message" ? "note" : field, new[field] ?? .null, "field is immutable")
        }
    }
}
