import ArgumentParser
import Foundation
import SkiffAPI
import SkiffAPIServer

/// The flags that decide who may use the API server: authentication (`--token-auth-file`,
/// `--anonymous-auth`) and authorization (`--authorization-mode`).
struct AccessOptions: ParsableArguments {
    @Option(help: "A CSV file of bearer tokens, one a line: token,user,uid,\"group1,group2\".")
    var tokenAuthFile: String?

    @Option(help: "Take requests without credentials as system:anonymous (true) or refuse them with 401 (false).")
    var anonymousAuth = true

    @Option(help: "Comma-separated authorizers asked in order: AlwaysAllow, AlwaysDeny, RBAC, Node (default: Node,RBAC; AlwaysAllow with --insecure-serving).")
    var authorizationMode: String?

    /// The user of the admin kubeconfig's token when serving insecurely with a token file.
    static let admin = UserInfo(name: "kubernetes-admin", groups: [UserInfo.privilegedGroup])

    func validate() throws {
        do {
            _ = try AuthorizationMode.parse(authorizationMode ?? "AlwaysAllow")
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Sets the authenticator and authorizer of `options`. Serving HTTPS (`secure`), requests are
    /// authenticated by client certificate (`x509`) or token, others are anonymous unless
    /// `--anonymous-auth=false`, and `Node,RBAC` authorize by default. Serving plain HTTP, every
    /// client is a superuser unless a token file turns authentication on; then `adminToken`
    /// authenticates the admin kubeconfig (and the components that use it) as `system:masters`.
    func apply(to options: inout APIServer.Options, secure: Bool, x509: X509Authenticator?, adminToken: String?) throws {
        var authenticators: [any Authenticator] = x509.map { [$0] } ?? []
        if let adminToken { authenticators.append(TokenFileAuthenticator(tokens: [adminToken: Self.admin])) }
        if let tokenAuthFile { authenticators.append(try TokenFileAuthenticator(path: tokenAuthFile)) }
        if secure || tokenAuthFile != nil {
            options.authenticator = UnionAuthenticator(authenticators, fallback: anonymousAuth ? AnonymousAuthenticator() : nil)
        }
        let modes = try AuthorizationMode.parse(authorizationMode ?? (secure ? "Node,RBAC" : "AlwaysAllow"))
        options.authorizer = { registry in AuthorizationMode.authorizer(modes, registry: registry) }
    }

    /// The admin token kept in `dataDir` (0600), made on first use; nil unless serving plain HTTP
    /// with a token file (over HTTPS the admin has a client certificate).
    func adminToken(dataDir: String, secure: Bool) throws -> String? {
        guard !secure, tokenAuthFile != nil else { return nil }
        let path = dataDir + "/admin.token"
        if let token = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return token
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        guard FileManager.default.createFile(atPath: path, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(path)")
        }
        return token
    }
}
