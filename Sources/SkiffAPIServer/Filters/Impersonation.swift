import NIOHTTP1
import SkiffAPI

/// Lets a user act as another (upstream's `WithImpersonation`): `Impersonate-User`,
/// `Impersonate-Group` (repeatable), `Impersonate-Uid` and `Impersonate-Extra-KEY` headers, each
/// checked with the authorizer as the `impersonate` verb on `users`, `serviceaccounts`, `groups`,
/// `uids` or `userextras/KEY`; a refusal is `403` naming what was asked. The request then goes on
/// as the impersonated user, without the headers.
struct ImpersonationFilter: RequestFilter {
    let authorizer: any Authorizer

    static let userHeader = "Impersonate-User"
    static let groupHeader = "Impersonate-Group"
    static let uidHeader = "Impersonate-Uid"
    static let extraHeaderPrefix = "impersonate-extra-"

    /// One thing the requester asks to be.
    struct Request: Hashable {
        var resource: String
        var apiGroup = ""
        var namespace = ""
        var name: String
        var subresource = ""
    }

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let asked = Self.requests(request.headers)
        if asked.isEmpty { return await next(request, context) }
        let username = request.headers.first(name: Self.userHeader) ?? ""
        guard !username.isEmpty else {
            return .error(.internalError("requested \(asked.map(\.description)) without impersonating a user"))
        }
        let requester = context.user ?? UserInfo(name: "")
        for wanted in asked {
            var info = RequestInfo(path: request.path, verb: "impersonate")
            info.isResourceRequest = true
            info.apiGroup = wanted.apiGroup
            info.resource = wanted.resource
            info.subresource = wanted.subresource
            info.namespace = wanted.namespace
            info.name = wanted.name
            let attributes = AuthorizationAttributes(user: requester, requestInfo: info)
            let decision = await authorizer.authorize(attributes)
            if decision.verdict != .allow {
                return .error(AuthorizationFilter.forbidden(attributes, reason: decision.reason), accept: request.headers.first(name: "accept"))
            }
        }
        var context = context
        context.user = Self.impersonated(username: username, headers: request.headers)
        if let user = context.user { context.audit?.impersonate(user) }
        var request = request
        for name in request.headers.map({ $0.name }) where name.lowercased().hasPrefix("impersonate-") { request.headers.remove(name: name) }
        return await next(request, context)
    }

    /// The user the headers describe, with upstream's implied groups: a service account's two
    /// groups when no group is named, and `system:authenticated` for everyone but the anonymous user.
    static func impersonated(username: String, headers: HTTPHeaders) -> UserInfo {
        var groups = headers[canonicalForm: groupHeader].map(String.init)
        if groups.isEmpty, let account = UserInfo.serviceAccount(ofUserName: username) {
            groups = UserInfo.serviceAccountGroups(namespace: account.namespace)
        }
        if username == UserInfo.anonymous {
            if !groups.contains(UserInfo.allUnauthenticated) { groups.append(UserInfo.allUnauthenticated) }
        } else if !groups.contains(UserInfo.allAuthenticated) {
            groups.append(UserInfo.allAuthenticated)
        }
        var extra: [String: [String]] = [:]
        for (key, values) in extras(headers) { extra[key, default: []] += values }
        return UserInfo(name: username, uid: headers.first(name: uidHeader) ?? "", groups: groups, extra: extra)
    }

    /// What the headers ask to impersonate, in upstream's order: the user, the groups, the
    /// extras, the uid.
    static func requests(_ headers: HTTPHeaders) -> [Request] {
        var requests: [Request] = []
        if let user = headers.first(name: userHeader), !user.isEmpty {
            if let account = UserInfo.serviceAccount(ofUserName: user) {
                requests.append(Request(resource: "serviceaccounts", namespace: account.namespace, name: account.name))
            } else {
                requests.append(Request(resource: "users", name: user))
            }
        }
        for group in headers[canonicalForm: groupHeader] {
            requests.append(Request(resource: "groups", name: String(group)))
        }
        for (key, values) in extras(headers) {
            for value in values {
                requests.append(Request(resource: "userextras", apiGroup: "authentication.k8s.io", name: value, subresource: key))
            }
        }
        if let uid = headers.first(name: uidHeader), !uid.isEmpty {
            requests.append(Request(resource: "uids", apiGroup: "authentication.k8s.io", name: uid))
        }
        return requests
    }

    /// The `Impersonate-Extra-KEY` headers: the key lowercased and percent-decoded, its values.
    private static func extras(_ headers: HTTPHeaders) -> [(String, [String])] {
        var keys: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix(extraHeaderPrefix) {
            let key = PercentEncoding.decode(String(name.dropFirst(extraHeaderPrefix.count)).lowercased(), plusAsSpace: false)
            if values[key] == nil { keys.append(key) }
            values[key, default: []].append(value)
        }
        return keys.map { ($0, values[$0] ?? []) }
    }
}

extension ImpersonationFilter.Request: CustomStringConvertible {
    var description: String {
        let scope = namespace.isEmpty ? name : namespace + "/" + name
        return "\(resource) \(scope)"
    }
}
