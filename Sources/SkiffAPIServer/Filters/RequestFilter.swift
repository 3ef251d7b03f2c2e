import SkiffAPI

/// What the filters learn about a request on its way to the router.
public struct RequestContext: Sendable {
    /// What the request asks for.
    public var requestInfo: RequestInfo
    /// Who asks, once authentication has run.
    public var user: UserInfo?
    /// The request's audit ID and what its audit event collects on the way in.
    public var audit: AuditContext?

    public init(requestInfo: RequestInfo, user: UserInfo? = nil) {
        self.requestInfo = requestInfo
        self.user = user
    }
}

/// The rest of the chain after a filter: the next filters, then the router.
public typealias RequestResponder = @Sendable (HTTPRequest, RequestContext) async -> HTTPResponse

/// One step of the request pipeline around the router (upstream's handler chain filters):
/// answers the request itself (401, 403, 429) or passes it on, possibly with more context.
public protocol RequestFilter: Sendable {
    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse
}

extension Array where Element == any RequestFilter {
    /// The filters wrapped around `handler`, the first outermost.
    func wrapping(_ handler: @escaping RequestResponder) -> RequestResponder {
        reversed().reduce(handler) { next, filter in
            { request, context in await filter.respond(to: request, context: context, next: next) }
        }
    }
}
