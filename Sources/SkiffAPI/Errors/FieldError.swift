/// One validation failure on one field, rendered like upstream's `field.Error`
/// (`metadata.name: Invalid value: "x": …`).
public struct FieldError: Error, Sendable, Hashable {
    public var type: CauseType
    /// The field path, e.g. `metadata.name` or `spec.containers[0].image`.
    public var field: String
    /// The offending value, when the message shows it.
    public var value: JSONValue?
    public var detail: String

    public init(_ type: CauseType, field: String, value: JSONValue? = nil, detail: String = "") {
        self.type = type
        self.field = field
        self.value = value
        self.detail = detail
    }

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(.fieldValueRequired, field: field, detail: detail)
    }

    public static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(.fieldValueInvalid, field: field, value: value, detail: detail)
    }

    public static func notSupported(_ field: String, _ value: JSONValue, supported: [String]) -> FieldError {
        let quoted = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldError(.fieldValueNotSupported, field: field, value: value, detail: "supported values: \(quoted)")
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(.fieldValueForbidden, field: field, detail: detail)
    }

    public static func duplicate(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(.fieldValueDuplicate, field: field, value: value)
    }

    /// More items than allowed (`Too many: 4: must have at most 3 items`).
    public static func tooMany(_ field: String, actual: Int, max: Int64) -> FieldError {
        FieldError(.fieldValueTooMany, field: field, value: .int(Int64(actual)), detail: "must have at most \(max) items")
    }

    public static func typeInvalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(.fieldValueTypeInvalid, field: field, value: value, detail: detail)
    }

    /// The type's phrase in messages (`Invalid value`, `Required value`, …).
    var typePhrase: String {
        switch type {
        case .fieldValueNotFound: return "Not found"
        case .fieldValueRequired: return "Required value"
        case .fieldValueDuplicate: return "Duplicate value"
        case .fieldValueInvalid: return "Invalid value"
        case .fieldValueNotSupported: return "Unsupported value"
        case .fieldValueForbidden: return "Forbidden"
        case .fieldValueTooLong: return "Too long"
        case .fieldValueTooMany: return "Too many"
        case .fieldValueTypeInvalid: return "Invalid value"
        default: return "Internal error"
        }
    }

    /// The message without the field path: `Invalid value: "x": detail`.
    public var errorBody: String {
        var parts = [typePhrase]
        let showsValue: Bool
        switch type {
        case .fieldValueRequired, .fieldValueForbidden, .fieldValueTooLong: showsValue = false
        default: showsValue = value != nil
        }
        if showsValue, let value {
            switch value {
            case .string(let text): parts.append("\"\(text)\"")
            case .object, .array: parts.append(value.serializedString())
            default: parts.append(value.serializedString())
            }
        }
        if !detail.isEmpty { parts.append(detail) }
        return parts.joined(separator: ": ")
    }

    /// The full message: `metadata.name: Invalid value: "x": detail`.
    public var message: String { field.isEmpty ? errorBody : "\(field): \(errorBody)" }
}
