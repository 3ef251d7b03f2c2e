import SkiffAPI
import SkiffProtobuf
import Synchronization

/// Where audit events go (upstream's `audit.Backend`): a log file, a webhook.
public protocol AuditSink: Sendable {
    /// Takes one event; returns without waiting for it to be written.
    func record(_ event: AuditEvent) async
    /// Runs beside the server (a writer) until graceful shutdown.
    func run() async
}

extension AuditSink {
    public func run() async {}
}

/// A request's audit ID and what the filters inside the audit filter add to its event
/// (upstream's audit context): authorization's decision, the impersonated user.
public final class AuditContext: Sendable {
    public let auditID: String
    private let state = Mutex<(annotations: [String: String], impersonatedUser: UserInfo?)>(([:], nil))

    public init(auditID: String) {
        self.auditID = auditID
    }

    /// Adds an annotation (`authorization.k8s.io/decision`…) to the request's event.
    public func annotate(_ key: String, _ value: String) {
        state.withLock { $0.annotations[key] = value }
    }

    /// Records who the request acts as.
    public func impersonate(_ user: UserInfo) {
        state.withLock { $0.impersonatedUser = user }
    }

    var annotations: [String: String] { state.withLock { $0.annotations } }
    var impersonatedUser: UserInfo? { state.withLock { $0.impersonatedUser } }
}

/// Gives every request its audit ID (the client's `Audit-ID` header, else a new UUID) and
/// answers it in the `Audit-Id` response header, audit log or not (upstream's `WithAuditInit`).
struct AuditIDFilter: RequestFilter {
    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let sent = request.headers.first(name: "Audit-ID") ?? ""
        var context = context
        context.audit = AuditContext(auditID: sent.isEmpty ? UID.random() : sent)
        var response = await next(request, context)
        response.headers.replaceOrAdd(name: "Audit-Id", value: context.audit?.auditID ?? "")
        return response
    }
}

/// Records requests as the audit policy says: at `RequestReceived`, at `ResponseStarted` for
/// streamed and upgraded responses (watches, exec), at `ResponseComplete` once the response, or
/// its stream, has ended; with the request body at level `Request`, the response body too at
/// `RequestResponse`.
struct AuditFilter: RequestFilter {
    let sink: any AuditSink
    let policy: AuditPolicy
    let clock: any TimestampClock

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let user = context.user ?? UserInfo(name: "")
        let decision = policy.decision(user: user, requestInfo: context.requestInfo)
        guard decision.level > .none else { return await next(request, context) }
        var context = context
        let audit = context.audit ?? AuditContext(auditID: UID.random())
        context.audit = audit
        let received = clock.now
        var event = AuditEvent(
            level: decision.level, auditID: audit.auditID, stage: .requestReceived, requestURI: request.uri,
            verb: context.requestInfo.verb, user: user, sourceIPs: Self.sourceIPs(request),
            userAgent: request.headers.first(name: "User-Agent"), requestInfo: context.requestInfo,
            requestReceivedTimestamp: received, stageTimestamp: received)
        let recorder = StageRecorder(sink: sink, clock: clock, omitted: decision.omitStages)
        await recorder.record(event, at: .requestReceived)
        // As upstream's, the body is in the events after `RequestReceived` (once decoded).
        if decision.level >= .request, !request.body.isEmpty {
            event.requestObject = Self.object(request.body, omitManagedFields: decision.omitManagedFields)
        }
        var response = await next(request, context)
        event.impersonatedUser = audit.impersonatedUser
        event.annotations = audit.annotations
        event.responseCode = Int(response.status.code)
        switch response.body {
        case .bytes(let body):
            let code = Int(response.status.code)
            if decision.level == .requestResponse || !(200..<300).contains(code) || event.verb.hasPrefix("delete") {
                let object = Self.object(body, omitManagedFields: decision.omitManagedFields)
                if object?["kind"] == "Status" { event.responseStatus = object }
                if decision.level == .requestResponse { event.responseObject = object }
            }
            await recorder.record(event, at: .responseComplete)
        case .stream(let write):
            await recorder.record(event, at: .responseStarted)
            let finished = event
            response.body = .stream { writer in
                do {
                    try await write(writer)
                } catch {
                    await recorder.record(finished, at: .responseComplete)
                    throw error
                }
                await recorder.record(finished, at: .responseComplete)
            }
        case .upgrade(let upgrade):
            await recorder.record(event, at: .responseStarted)
            let finished = event
            response.body = .upgrade(ConnectionUpgrade { channel in
                let session = try await upgrade.install(channel)
                return {
                    do {
                        try await session()
                    } catch {
                        await recorder.record(finished, at: .responseComplete)
                        throw error
                    }
                    await recorder.record(finished, at: .responseComplete)
                }
            })
        }
        return response
    }

    /// Hands events to the sink at the stages the policy keeps, stamped when recorded.
    struct StageRecorder: Sendable {
        let sink: any AuditSink
        let clock: any TimestampClock
        let omitted: Set<AuditStage>

        func record(_ event: AuditEvent, at stage: AuditStage) async {
            guard !omitted.contains(stage) else { return }
            var event = event
            event.stage = stage
            event.stageTimestamp = clock.now
            await sink.record(event)
        }
    }

    /// The client's addresses as upstream lists them: `X-Forwarded-For`, `X-Real-Ip`, then the
    /// connection's peer.
    static func sourceIPs(_ request: HTTPRequest) -> [String] {
        var addresses: [String] = []
        for value in request.headers["X-Forwarded-For"] {
            addresses += value.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        }
        if let real = request.headers.first(name: "X-Real-Ip")?.trimmingSpaces(), !real.isEmpty, !addresses.contains(real) {
            addresses.append(real)
        }
        if let remote = request.remoteAddress, !addresses.contains(remote) { addresses.append(remote) }
        return addresses
    }

    /// A JSON or protobuf body as an object, without `managedFields` if the policy says so.
    static func object(_ body: [UInt8], omitManagedFields: Bool) -> JSONValue? {
        guard !body.isEmpty else { return nil }
        let parsed = KubernetesProtobuf.isEnveloped(body) ? try? KubernetesProtobuf.decode(body) : try? JSONValue(parsing: body)
        guard var object = parsed else { return nil }
        if omitManagedFields { object = withoutManagedFields(object) }
        return object
    }

    private static func withoutManagedFields(_ value: JSONValue) -> JSONValue {
        guard case .object(var members) = value else { return value }
        if case .object(var metadata)? = members["metadata"], metadata["managedFields"] != nil {
            metadata["managedFields"] = nil
            members["metadata"] = .object(metadata)
        }
        if case .array(let items)? = members["items"] { members["items"] = .array(items.map(withoutManagedFields)) }
        return .object(members)
    }
}
