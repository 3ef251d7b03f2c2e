import SkiffAPI
import SkiffProtobuf

/// One audit event (upstream's `audit.k8s.io/v1` `Event`): a request at one stage.
public struct AuditEvent: Sendable {
    public var level: AuditLevel
    /// The request's ID, the same at every stage (the `Audit-Id` response header).
    public var auditID: String
    public var stage: AuditStage
    public var requestURI: String
    public var verb: String
    /// Who sent the request (the authenticated user).
    public var user: UserInfo
    /// Who the request acts as, when it impersonates.
    public var impersonatedUser: UserInfo?
    public var sourceIPs: [String]
    public var userAgent: String?
    /// What the request names (resource, namespace, name, group, version, subresource).
    public var requestInfo: RequestInfo
    /// The response's code once answered; nil at `RequestReceived`.
    public var responseCode: Int?
    /// The `Status` the response carried, if it was one (errors, deletions).
    public var responseStatus: JSONValue?
    /// The request body, at level `Request` and above.
    public var requestObject: JSONValue?
    /// The response body, at level `RequestResponse`.
    public var responseObject: JSONValue?
    public var requestReceivedTimestamp: Timestamp
    public var stageTimestamp: Timestamp
    public var annotations: [String: String] = [:]

    /// The event as one line of the log: upstream's JSON, in its field order, with a newline.
    public func jsonLine() -> [UInt8] {
        var object = OrderedJSONObject()
        object.add("kind", "Event")
        object.add("apiVersion", "audit.k8s.io/v1")
        object.add("level", .string(level.rawValue))
        object.add("auditID", .string(auditID))
        object.add("stage", .string(stage.rawValue))
        object.add("requestURI", .string(requestURI))
        object.add("verb", .string(verb))
        object.add("user", Self.userJSON(user))
        if let impersonatedUser { object.add("impersonatedUser", Self.userJSON(impersonatedUser)) }
        if !sourceIPs.isEmpty { object.add("sourceIPs", .array(sourceIPs.map(JSONValue.string))) }
        if let userAgent, !userAgent.isEmpty { object.add("userAgent", .string(userAgent)) }
        if requestInfo.isResourceRequest { object.add("objectRef", objectReference) }
        if let responseCode { object.add("responseStatus", status(code: responseCode)) }
        if let requestObject { object.add("requestObject", requestObject, shaped: true) }
        if let responseObject { object.add("responseObject", responseObject, shaped: true) }
        object.add("requestReceivedTimestamp", .string(requestReceivedTimestamp.rfc3339Micro))
        object.add("stageTimestamp", .string(stageTimestamp.rfc3339Micro))
        if !annotations.isEmpty { object.add("annotations", .object(annotations.mapValues(JSONValue.string))) }
        return object.closed + [UInt8(ascii: "\n")]
    }

    /// `objectRef`: the fields of the request's object that are known.
    private var objectReference: OrderedJSONObject {
        var reference = OrderedJSONObject()
        let info = requestInfo
        for (key, value) in [("resource", info.resource), ("namespace", info.namespace), ("name", info.name),
                             ("apiGroup", info.apiGroup), ("apiVersion", info.apiVersion), ("subresource", info.subresource)]
        where !value.isEmpty {
            reference.add(key, .string(value))
        }
        return reference
    }

    /// `responseStatus`: the code, and a `Status` response's status, message, reason and details.
    private func status(code: Int) -> OrderedJSONObject {
        var status = OrderedJSONObject()
        status.add("metadata", .object([:]))
        for key in ["status", "message", "reason"] {
            if case .string(let value)? = responseStatus?[key], !value.isEmpty { status.add(key, .string(value)) }
        }
        if case .object(let details)? = responseStatus?["details"] { status.add("details", Self.ordered(details, ["name", "group", "kind", "uid", "causes", "retryAfterSeconds"])) }
        status.add("code", .int(Int64(code)))
        return status
    }

    /// `members` in Go's field order `order`; causes' members too (`reason`, `message`, `field`).
    private static func ordered(_ members: [String: JSONValue], _ order: [String]) -> OrderedJSONObject {
        var object = OrderedJSONObject()
        for key in order {
            guard let value = members[key] else { continue }
            if key == "causes", case .array(let causes) = value {
                object.add(key, causes.map { cause -> OrderedJSONObject in
                    guard case .object(let fields) = cause else { return OrderedJSONObject() }
                    return ordered(fields, ["reason", "message", "field"])
                })
            } else {
                object.add(key, value)
            }
        }
        return object
    }

    /// `user` and `impersonatedUser`: `username`, `uid`, `groups`, `extra`, the empty ones left out.
    private static func userJSON(_ user: UserInfo) -> OrderedJSONObject {
        var object = OrderedJSONObject()
        object.add("username", .string(user.name))
        if !user.uid.isEmpty { object.add("uid", .string(user.uid)) }
        if !user.groups.isEmpty { object.add("groups", .array(user.groups.map(JSONValue.string))) }
        if !user.extra.isEmpty { object.add("extra", .object(user.extra.mapValues { .array($0.map(JSONValue.string)) })) }
        return object
    }
}

/// A JSON object written member by member in the order they are added (Go's struct order).
struct OrderedJSONObject {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    /// The object's bytes, closed.
    var closed: [UInt8] { bytes + [UInt8(ascii: "}")] }

    mutating func add(_ key: String, _ value: JSONValue, shaped: Bool = false) {
        addKey(key)
        if shaped { value.write(to: &bytes, shapes: GoFieldOrder.shapes) } else { value.write(to: &bytes) }
    }

    mutating func add(_ key: String, _ nested: OrderedJSONObject) {
        addKey(key)
        bytes += nested.closed
    }

    mutating func add(_ key: String, _ elements: [OrderedJSONObject]) {
        addKey(key)
        bytes.append(UInt8(ascii: "["))
        for (offset, element) in elements.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += element.closed
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func addKey(_ key: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        JSONValue.string(key).write(to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }
}
