/// A failed API call, carried to the client as a `Status` object with an HTTP code and a reason,
/// exactly as upstream's `StatusError`.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var reason: StatusReason
    public var message: String
    public var details: Details?

    /// `Status.details`: what the error is about.
    public struct Details: Sendable, Hashable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]
        public var retryAfterSeconds: Int?

        public init(
            name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
            causes: [Cause] = [], retryAfterSeconds: Int? = nil
        ) {
            self.name = name
            self.group = group
            self.kind = kind
            self.uid = uid
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// `Status.details.causes[]`.
    public struct Cause: Sendable, Hashable {
        public var type: CauseType
        public var message: String
        public var field: String

        public init(type: CauseType, message: String, field: String) {
            self.type = type
            self.message = message
            self.field = field
        }
    }

    public init(code: Int, reason: StatusReason, message: String, details: Details? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { "\(code) \(reason.rawValue): \(message)" }

    /// The `Status` object sent in the response body.
    public var status: JSONValue {
        var status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject,
            "status": "Failure", "message": .string(message), "code": .int(Int64(code)),
        ]
        if reason != .unknown { status["reason"] = .string(reason.rawValue) }
        if let details {
            var body: JSONValue = .emptyObject
            if let name = details.name { body["name"] = .string(name) }
            if let group = details.group, !group.isEmpty { body["group"] = .string(group) }
            if let kind = details.kind { body["kind"] = .string(kind) }
            if let uid = details.uid { body["uid"] = .string(uid) }
            if !details.causes.isEmpty {
                body["causes"] = .array(
                    details.causes.map { cause in
                        var entry: JSONValue = ["message": .string(cause.message)]
                        if !cause.type.rawValue.isEmpty { entry["reason"] = .string(cause.type.rawValue) }
                        if !cause.field.isEmpty { entry["field"] = .string(cause.field) }
                        return entry
                    })
            }
            if let retry = details.retryAfterSeconds { body["retryAfterSeconds"] = .int(Int64(retry)) }
            status["details"] = body
        }
        return status
    }
}

extension APIError {
    /// `404 NotFound`: `configmaps "app" not found`.
    public static func notFound(_ resource: GroupResource, name: String) -> APIError {
        APIError(
            code: 404, reason: .notFound, message: "\(resource) \"\(name)\" not found",
            details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    /// `409 AlreadyExists`: `configmaps "app" already exists`.
    public static func alreadyExists(_ resource: GroupResource, name: String) -> APIError {
        APIError(
            code: 409, reason: .alreadyExists, message: "\(resource) \"\(name)\" already exists",
            details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    /// `409 Conflict` with upstream's message for an update against a stale resourceVersion.
    public static func conflict(_ resource: GroupResource, name: String, message: String) -> APIError {
        APIError(
            code: 409, reason: .conflict,
            message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(message)",
            details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    /// The conflict message upstream gives for a stale resourceVersion.
    public static let staleObjectMessage =
        "the object has been modified; please apply your changes to the latest version and try again"

    /// `422 Invalid`: `ConfigMap "x" is invalid: [field errors]`; the kind is qualified by its group
    /// as upstream's (`Deployment.apps "web" is invalid: …`), the details carry the bare kind.
    public static func invalid(kind: GroupKind, name: String, errors: [FieldError]) -> APIError {
        let summary: String
        if errors.count == 1 {
            summary = errors[0].message
        } else {
            summary = "[" + errors.map(\.message).joined(separator: ", ") + "]"
        }
        return APIError(
            code: 422, reason: .invalid, message: "\(kind) \"\(name)\" is invalid: \(summary)",
            details: Details(
                name: name, group: kind.group, kind: kind.kind,
                causes: errors.map { Cause(type: $0.type, message: $0.errorBody, field: $0.field) }))
    }

    /// `400 BadRequest`.
    public static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: .badRequest, message: message)
    }

    /// `405 MethodNotAllowed`.
    public static func methodNotAllowed(_ message: String) -> APIError {
        APIError(code: 405, reason: .methodNotAllowed, message: message)
    }

    /// `403 Forbidden`.
    public static func forbidden(_ message: String, resource: GroupResource? = nil, name: String? = nil) -> APIError {
        APIError(
            code: 403, reason: .forbidden, message: message,
            details: resource.map { Details(name: name, group: $0.group, kind: $0.resource) })
    }

    /// `410 Gone` with reason `Expired`: a resourceVersion or continue token older than the history kept.
    public static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: .expired, message: message)
    }

    /// `410 Gone` with reason `Gone`.
    public static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: .gone, message: message)
    }

    /// `413 RequestEntityTooLarge`.
    public static func requestEntityTooLarge(_ message: String) -> APIError {
        APIError(code: 413, reason: .requestEntityTooLarge, message: message)
    }

    /// `415 UnsupportedMediaType`, listing the media types the server decodes.
    public static func unsupportedMediaType(accepted: [String]) -> APIError {
        APIError(
            code: 415, reason: .unsupportedMediaType,
            message: "the body of the request was in an unknown format - accepted media types include: "
                + accepted.joined(separator: ", "))
    }

    /// `406 NotAcceptable`.
    public static func notAcceptable(_ message: String) -> APIError {
        APIError(code: 406, reason: .notAcceptable, message: message)
    }

    /// `500 InternalError`.
    public static func internalError(_ message: String) -> APIError {
        APIError(
            code: 500, reason: .internalError, message: "Internal error occurred: \(message)",
            details: Details(causes: [Cause(type: .unexpectedServerResponse, message: message, field: "")]))
    }

    /// `504 Timeout`, e.g. for a resourceVersion the server has not reached in time.
    public static func timeout(_ message: String, retryAfterSeconds: Int? = nil) -> APIError {
        APIError(
            code: 504, reason: .timeout, message: message,
            details: retryAfterSeconds.map { Details(retryAfterSeconds: $0) })
    }

    /// `503 ServiceUnavailable`.
    public static func serviceUnavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: .serviceUnavailable, message: message)
    }
}
