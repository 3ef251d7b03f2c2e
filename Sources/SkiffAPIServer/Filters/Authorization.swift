import SkiffAPI

/// What an authorizer decides about (upstream's `authorizer.Attributes`).
public struct AuthorizationAttributes: Sendable, Hashable {
    public var user: UserInfo
    public var verb: String
    public var isReadOnly: Bool
    public var namespace: String
    public var resource: String
    public var subresource: String
    public var name: String
    public var apiGroup: String
    public var apiVersion: String
    public var isResourceRequest: Bool
    /// The URL path, for non-resource requests.
    public var path: String

    public init(user: UserInfo, requestInfo: RequestInfo) {
        self.user = user
        verb = requestInfo.verb
        isReadOnly = RequestInfo.readOnlyVerbs.contains(requestInfo.verb)
        namespace = requestInfo.namespace
        resource = requestInfo.resource
        subresource = requestInfo.subresource
        name = requestInfo.name
        apiGroup = requestInfo.apiGroup
        apiVersion = requestInfo.apiVersion
        isResourceRequest = requestInfo.isResourceRequest
        path = requestInfo.path
    }
}

/// An authorizer's answer: allow, deny, or no opinion (the next authorizer decides; when none
/// does, the request is denied).
public struct AuthorizationDecision: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        case allow
        case deny
        case noOpinion
    }

    public var verdict: Verdict
    /// Why, for the `403` message (an RBAC rule's absence, a node's limits…).
    public var reason: String

    public init(_ verdict: Verdict, reason: String = "") {
        self.verdict = verdict
        self.reason = reason
    }
}

/// Decides whether a user may do what a request asks (upstream's `authorizer.Authorizer`): RBAC,
/// the Node authorizer and webhooks are implementations.
public protocol Authorizer: Sendable {
    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision
}

/// Allows everything (upstream's `AlwaysAllow` mode).
public struct AlwaysAllowAuthorizer: Authorizer {
    public init() {}

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision { AuthorizationDecision(.allow) }
}

/// Asks the authorizer about every request; anything but `allow` is `403 Forbidden` with
/// upstream's message.
struct AuthorizationFilter: RequestFilter {
    let authorizer: any Authorizer

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let attributes = AuthorizationAttributes(user: context.user ?? UserInfo(name: ""), requestInfo: context.requestInfo)
        let decision = await authorizer.authorize(attributes)
        context.audit?.annotate("authorization.k8s.io/decision", decision.verdict == .allow ? "allow" : "forbid")
        context.audit?.annotate("authorization.k8s.io/reason", decision.reason)
        if decision.verdict == .allow { return await next(request, context) }
        return .error(Self.forbidden(attributes, reason: decision.reason), accept: request.headers.first(name: "accept"))
    }

    /// `pods "web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"`.
    static func forbidden(_ attributes: AuthorizationAttributes, reason: String) -> APIError {
        var message: String
        if !attributes.isResourceRequest {
            message = "User \"\(attributes.user.name)\" cannot \(attributes.verb) path \"\(attributes.path)\""
        } else {
            let resource = attributes.subresource.isEmpty ? attributes.resource : attributes.resource + "/" + attributes.subresource
            let scope = attributes.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(attributes.namespace)\""
            message = "User \"\(attributes.user.name)\" cannot \(attributes.verb) resource \"\(resource)\" in API group \"\(attributes.apiGroup)\" \(scope)"
        }
        if !reason.isEmpty { message += ": " + reason }
        let resource = GroupResource(group: attributes.apiGroup, resource: attributes.resource)
        if attributes.resource.isEmpty && attributes.apiGroup.isEmpty {
            return .forbidden("forbidden: " + message)
        }
        let name = attributes.name.isEmpty ? "" : " \"\(attributes.name)\""
        return .forbidden("\(resource)\(name) is forbidden: \(message)", resource: resource, name: attributes.name.isEmpty ? nil : attributes.name)
    }
}
