import SkiffAPI

/// An `IntOrString` that counts pods: a non-negative integer or a percentage (`25%`), as in
/// rolling update parameters.
struct IntOrPercent {
    /// The value as given.
    let json: JSONValue

    init(_ value: JSONValue?) {
        json = value ?? .null
    }

    /// The number, or the percentage's number; 0 when missing or malformed (as upstream).
    var value: Int64 {
        if let number = json.intValue { return number }
        guard let text = json.stringValue else { return 0 }
        return Int64(text.hasSuffix("%") ? text.dropLast() : Substring(text)) ?? 0
    }

    private var percent: Int64? {
        guard let text = json.stringValue, text.hasSuffix("%"), text.count > 1, text.dropLast().allSatisfy(\.isASCIIDigit) else { return nil }
        return Int64(text.dropLast())
    }

    /// A malformed percentage or a negative number.
    func problems(field: String) -> [FieldError] {
        switch json {
        case .string:
            guard percent == nil else { return [] }
            return [.invalid(field, json, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
        case .null:
            return []
        default:
            let number = json.intValue ?? 0
            return number < 0 ? [.invalid(field, json, "must be greater than or equal to 0")] : []
        }
    }

    /// `must not be greater than 100%` for a percentage above 100.
    func notAbove100Percent(field: String) -> [FieldError] {
        guard let percent, percent > 100 else { return [] }
        return [.invalid(field, json, "must not be greater than 100%")]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
