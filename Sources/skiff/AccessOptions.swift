import ArgumentParser
import Foundation
import SkiffAPI
import SkiffAPIServer

/// The flags that decide who may use the API server: authentication (`--token-auth-file`,
/// `--anonymous-auth`) and authorization (`--authorization-mode`).
struct AccessOptions: ParsableArguments {
    @Option(help: "A CSV file of bearer tokens, one a line: token,user,uid,\"group1,group2\". Turns authentication on (without it every client is a superuser).")
    var tokenAuthFile: String?

    @Option(help: "With authentication on, take requests without credentials as system:anonymous (true) or refuse them with 401 (false).")
    var anonymousAuth = true

    @Option(help: "Comma-separated authorizers asked in order: AlwaysAllow, AlwaysDeny, RBAC, Node.")
    var authorizationMode = "AlwaysAllow"

    /// The user of the admin kubeconfig's token when authentication is on.
    static let admin = UserInfo(name: "kubernetes-admin", groups: [UserInfo.privilegedGroup])

    func validate() throws {
        do {
            _ = try AuthorizationMode.parse(authorizationMode)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Whether requests must prove who they are.
    var authenticates: Bool { tokenAuthFile != nil }

    /// Sets the authenticator and authorizer of `options`; `adminToken` authenticates the admin
    /// kubeconfig (and the components that use it) as `system:masters`.
    func apply(to options: inout APIServer.Options, adminToken: String?) throws {
        if let tokenAuthFile {
            let admin = TokenFileAuthenticator(tokens: adminToken.map { [$0: Self.admin] } ?? [:])
            options.authenticator = UnionAuthenticator([admin, try TokenFileAuthenticator(path: tokenAuthFile)],
                                                       fallback: anonymousAuth ? AnonymousAuthenticator() : nil)
        }
        let modes = try AuthorizationMode.parse(authorizationMode)
        options.authorizer = { registry in AuthorizationMode.authorizer(modes, registry: registry) }
    }

    /// The admin token kept in `dataDir` (0600), made on first use; nil without authentication.
    func adminToken(dataDir: String) throws -> String? {
        guard authenticates else { return nil }
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
