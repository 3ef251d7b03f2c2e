/// The machine-readable reason of a failed API call (`Status.reason`), as upstream's `metav1.StatusReason`.
public struct StatusReason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let unknown = StatusReason(rawValue: "")
    public static let unauthorized = StatusReason(rawValue: "Unauthorized")
    public static let forbidden = StatusReason(rawValue: "Forbidden")
    public static let notFound = StatusReason(rawValue: "NotFound")
    public static let alreadyExists = StatusReason(rawValue: "AlreadyExists")
    public static let conflict = StatusReason(rawValue: "Conflict")
    public static let gone = StatusReason(rawValue: "Gone")
    public static let invalid = StatusReason(rawValue: "Invalid")
    public static let serverTimeout = StatusReason(rawValue: "ServerTimeout")
    public static let timeout = StatusReason(rawValue: "Timeout")
    public static let tooManyRequests = StatusReason(rawValue: "TooManyRequests")
    public static let badRequest = StatusReason(rawValue: "BadRequest")
    public static let methodNotAllowed = StatusReason(rawValue: "MethodNotAllowed")
    public static let notAcceptable = StatusReason(rawValue: "NotAcceptable")
    public static let requestEntityTooLarge = StatusReason(rawValue: "RequestEntityTooLarge")
    public static let unsupportedMediaType = StatusReason(rawValue: "UnsupportedMediaType")
    public static let internalError = StatusReason(rawValue: "InternalError")
    public static let expired = StatusReason(rawValue: "Expired")
    public static let serviceUnavailable = StatusReason(rawValue: "ServiceUnavailable")
}

/// The kind of problem a `StatusCause` reports (`metav1.CauseType`).
public struct CauseType: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let fieldValueNotFound = CauseType(rawValue: "FieldValueNotFound")
    public static let fieldValueRequired = CauseType(rawValue: "FieldValueRequired")
    public static let fieldValueDuplicate = CauseType(rawValue: "FieldValueDuplicate")
    public static let fieldValueInvalid = CauseType(rawValue: "FieldValueInvalid")
    public static let fieldValueNotSupported = CauseType(rawValue: "FieldValueNotSupported")
    public static let fieldValueForbidden = CauseType(rawValue: "FieldValueForbidden")
    public static let fieldValueTooLong = CauseType(rawValue: "FieldValueTooLong")
    public static let fieldValueTooMany = CauseType(rawValue: "FieldValueTooMany")
    public static let fieldValueTypeInvalid = CauseType(rawValue: "FieldValueTypeInvalid")
    public static let unexpectedServerResponse = CauseType(rawValue: "UnexpectedServerResponse")
    public static let fieldManagerConflict = CauseType(rawValue: "FieldManagerConflict")
    public static let resourceVersionTooLarge = CauseType(rawValue: "ResourceVersionTooLarge")
}
