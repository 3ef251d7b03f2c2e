import SkiffAPI

/// Small accessors the kind strategies share: defaulting a member, editing nested members in
/// place, and reading fields with Go's zero values (`""`, `0`) when they are missing.
extension JSONValue {
    /// Sets the member `key` to `value` when it is missing or `null` (upstream's "if unset").
    mutating func setDefault(_ key: String, _ value: @autoclosure () -> JSONValue) {
        if self[key] == nil || self[key] == .null { self[key] = value() }
    }

    /// Runs `body` on the member `key` when it is present (not missing or `null`).
    mutating func editMember(_ key: String, _ body: (inout JSONValue) -> Void) {
        guard var member = self[key], member != .null else { return }
        self[key] = nil
        body(&member)
        self[key] = member
    }

    /// Runs `body` on each element of the array member `key`, when it is an array.
    mutating func editElements(_ key: String, _ body: (inout JSONValue) -> Void) {
        guard var elements = self[key]?.arrayValue else { return }
        self[key] = nil
        for index in elements.indices { body(&elements[index]) }
        self[key] = .array(elements)
    }

    /// The string at a path, or `""` when it is missing (Go's zero value).
    func stringValue(at path: String...) -> String {
        self[path: path[...]]?.stringValue ?? ""
    }

    /// The integer at a path, or `0` when it is missing (Go's zero value).
    func intValue(at path: String...) -> Int64 {
        self[path: path[...]]?.intValue ?? 0
    }

    /// The elements of the array at a path (empty when missing).
    func elements(at path: String...) -> [JSONValue] {
        self[path: path[...]]?.arrayValue ?? []
    }

    /// The string members of the object at a path (labels, selectors, node selectors).
    func stringMap(at path: String...) -> [String: String] {
        self[path: path[...]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }
}
