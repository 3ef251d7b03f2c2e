import SkiffAPI

/// Finds out who sends a request (upstream's `authenticator.Request`): client certificates,
/// bearer tokens and the like are implementations.
public protocol Authenticator: Sendable {
    /// The user the request proves to be; nil when the request carries nothing this
    /// authenticator understands. Throwing means the credentials are bad (`401`).
    func authenticate(_ request: HTTPRequest) async throws -> UserInfo?
}

/// Takes every request as a superuser, as upstream did on its insecure port: the behaviour of a
/// server that serves plain HTTP to loopback clients.
public struct InsecureSuperuserAuthenticator: Authenticator {
    public static let user = UserInfo(name: "system:unsecured", groups: [UserInfo.privilegedGroup, UserInfo.allAuthenticated])

    public init() {}

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? { Self.user }
}

/// Authenticates every request; one nobody vouches for gets `401 Unauthorized`.
struct AuthenticationFilter: RequestFilter {
    let authenticator: any Authenticator

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        guard let user = try? await authenticator.authenticate(request) else {
            return .error(APIError(code: 401, reason: .unauthorized, message: "Unauthorized"), accept: request.headers.first(name: "accept"))
        }
        var context = context
        context.user = user
        return await next(request, context)
    }
}
