import SkiffAPI
import SkiffProtobuf

/// The client's view of `APIError`: failed calls decode the server's `Status` into it, so a
/// caller tests `error.isNotFound` as with client-go's `errors.IsNotFound`.
extension APIError {
    /// Decodes a failed response: its `Status` body (JSON or protobuf) when there is one,
    /// otherwise an error made from the HTTP code alone (client-go's generic server response).
    public init(statusCode: Int, body: [UInt8]) {
        let parsed = KubernetesProtobuf.isEnveloped(body) ? try? KubernetesProtobuf.decode(body) : try? JSONValue(parsing: body)
        if let status = parsed, status.kind == "Status", let decoded = APIError(status: status, fallbackCode: statusCode) {
            self = decoded
            return
        }
        let text = String(decoding: body.prefix(1024), as: UTF8.self)
        let message = text.isEmpty ? "the server responded with the status code \(statusCode) but did not return more information" : text
        self.init(code: statusCode, reason: Self.reason(forCode: statusCode), message: message)
    }

    /// A `Status` object (a failed response, or the object of a watch `ERROR` event).
    public init?(status: JSONValue, fallbackCode: Int = 500) {
        guard status.kind == "Status" || status["code"] != nil else { return nil }
        let code = status["code"]?.intValue.map(Int.init) ?? fallbackCode
        let reason = status["reason"]?.stringValue.map(StatusReason.init(rawValue:)) ?? Self.reason(forCode: code)
        var details: Details?
        if let body = status["details"] {
            details = Details(
                name: body["name"]?.stringValue, group: body["group"]?.stringValue, kind: body["kind"]?.stringValue,
                uid: body["uid"]?.stringValue,
                causes: (body["causes"]?.arrayValue ?? []).map { cause in
                    Cause(
                        type: CauseType(rawValue: cause["reason"]?.stringValue ?? ""),
                        message: cause["message"]?.stringValue ?? "", field: cause["field"]?.stringValue ?? "")
                },
                retryAfterSeconds: body["retryAfterSeconds"]?.intValue.map(Int.init))
        }
        self.init(code: code, reason: reason, message: status["message"]?.stringValue ?? "", details: details)
    }

    /// The reason upstream assumes for a bare HTTP code.
    static func reason(forCode code: Int) -> StatusReason {
        switch code {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 406: .notAcceptable
        case 409: .conflict
        case 410: .gone
        case 413: .requestEntityTooLarge
        case 415: .unsupportedMediaType
        case 422: .invalid
        case 429: .tooManyRequests
        case 500: .internalError
        case 503: .serviceUnavailable
        case 504: .serverTimeout
        default: .unknown
        }
    }

    private func has(_ expected: StatusReason, code expectedCode: Int) -> Bool {
        reason == expected || (reason == .unknown && code == expectedCode)
    }

    /// `404 NotFound`.
    public var isNotFound: Bool { has(.notFound, code: 404) }
    /// `409 AlreadyExists`.
    public var isAlreadyExists: Bool { reason == .alreadyExists }
    /// `409 Conflict` (a stale resourceVersion or a failed precondition).
    public var isConflict: Bool { has(.conflict, code: 409) }
    /// `410 Gone`.
    public var isGone: Bool { has(.gone, code: 410) }
    /// `410 Expired`: a resourceVersion or continue token older than the server's history.
    public var isResourceExpired: Bool { reason == .expired }
    /// Either 410: the caller must start again with a fresh list.
    public var isGoneOrExpired: Bool { code == 410 || reason == .gone || reason == .expired }
    /// `422 Invalid`.
    public var isInvalid: Bool { has(.invalid, code: 422) }
    /// `400 BadRequest`.
    public var isBadRequest: Bool { has(.badRequest, code: 400) }
    /// `401 Unauthorized`.
    public var isUnauthorized: Bool { has(.unauthorized, code: 401) }
    /// `403 Forbidden`.
    public var isForbidden: Bool { has(.forbidden, code: 403) }
    /// `429 TooManyRequests`.
    public var isTooManyRequests: Bool { has(.tooManyRequests, code: 429) }
    /// `504 Timeout` or `ServerTimeout`.
    public var isTimeout: Bool { reason == .timeout || reason == .serverTimeout || code == 504 }
    /// `500 InternalError`.
    public var isInternalError: Bool { has(.internalError, code: 500) }
    /// `503 ServiceUnavailable`.
    public var isServiceUnavailable: Bool { has(.serviceUnavailable, code: 503) }
    /// The causes in `details`, if any.
    public var causes: [Cause] { details?.causes ?? [] }
}
