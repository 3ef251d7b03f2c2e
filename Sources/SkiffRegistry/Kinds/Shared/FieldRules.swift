import SkiffAPI

/// Field checks many kinds share, with upstream's messages.
enum FieldRules {
    /// `Required value` when empty, else the DNS-1123 label problems.
    static func dns1123Label(_ value: String, field: String) -> [FieldError] {
        if value.isEmpty { return [.required(field)] }
        return NameValidation.dns1123Label(value).map { .invalid(field, .string(value), $0) }
    }

    /// `Required value` when missing or empty, `Unsupported value` when not one of `values`.
    static func supported(_ value: JSONValue?, field: String, values: [String]) -> [FieldError] {
        let text = value?.stringValue ?? ""
        if text.isEmpty { return [.required(field)] }
        return values.contains(text) ? [] : [.notSupported(field, .string(text), supported: values)]
    }

    /// `must be greater than or equal to 0` for each of the given fields that is negative.
    static func nonNegative(_ object: JSONValue, _ paths: [[String]]) -> [FieldError] {
        paths.compactMap { path in
            guard let value = object[path: path[...]]?.intValue, value < 0 else { return nil }
            return .invalid(path.joined(separator: "."), .int(value), "must be greater than or equal to 0")
        }
    }

    /// `field is immutable` for each of the given fields that changed.
    static func immutable(_ object: JSONValue, old: JSONValue, _ paths: [[String]]) -> [FieldError] {
        paths.compactMap { path in
            let value = object[path: path[...]]
            guard value != old[path: path[...]] else { return nil }
            return .invalid(path.joined(separator: "."), value ?? .null, "field is immutable")
        }
    }
}
