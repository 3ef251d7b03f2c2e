import SkiffAPI

/// One request as the audit log records it once answered (the parts of upstream's `audit.Event`
/// known without a policy: stage `ResponseComplete`, level `Metadata`).
public struct AuditEvent: Sendable {
    public var stage = "ResponseComplete"
    public var level = "Metadata"
    public var requestURI: String
    public var verb: String
    public var user: UserInfo
    /// What the request names (resource, namespace, name, group, version, subresource).
    public var requestInfo: RequestInfo
    public var responseCode: Int
    public var requestReceivedTimestamp: Timestamp
    public var stageTimestamp: Timestamp
}

/// Where audit events go (upstream's `audit.Backend`): a log file, a webhook. A policy deciding
/// which requests to record, and at what level, belongs to the implementation.
public protocol AuditSink: Sendable {
    func record(_ event: AuditEvent) async
}

/// Hands every answered request to the audit sink.
struct AuditFilter: RequestFilter {
    let sink: any AuditSink
    let clock: any TimestampClock

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let received = clock.now
        let response = await next(request, context)
        await sink.record(AuditEvent(
            requestURI: request.path, verb: context.requestInfo.verb, user: context.user ?? UserInfo(name: ""),
            requestInfo: context.requestInfo, responseCode: Int(response.status.code),
            requestReceivedTimestamp: received, stageTimestamp: clock.now))
        return response
    }
}
