import Foundation
import SkiffAPI

/// Authenticates a request by the identity headers of a front proxy (upstream's request header
/// authenticator, `--requestheader-*`): only when the connection's client certificate verifies
/// against the front-proxy CA and, when `allowedNames` is not empty, its common name is one of
/// them; the user is then the first non-empty username header, the groups every group header's
/// values, the extras the headers with an extra prefix (the rest of the name, lower-cased and
/// percent-decoded, is the key), plus `system:authenticated`.
public struct RequestHeaderAuthenticator: Authenticator {
    let proxyCertificates: X509Authenticator
    let configuration: ExtensionAuthentication

    /// An authenticator trusting the front-proxy CA and header names of `configuration`.
    public init(_ configuration: ExtensionAuthentication, clock: any TimestampClock = SystemClock()) throws {
        proxyCertificates = try X509Authenticator(clientCAPEM: configuration.requestHeaderCAPEM, clock: clock)
        self.configuration = configuration
    }

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        guard let name = configuration.usernameHeaders.lazy.compactMap({ request.headers.first(name: $0) }).first(where: { !$0.isEmpty }),
              let proxy = try? await proxyCertificates.authenticate(request)
        else { return nil }
        guard configuration.allowedNames.isEmpty || configuration.allowedNames.contains(proxy.name) else {
            throw X509AuthenticationError("x509: subject with cn=\(proxy.name) is not in the allowed list")
        }
        var groups = configuration.groupHeaders.flatMap { request.headers[$0] }
        if !groups.contains(UserInfo.allAuthenticated) { groups.append(UserInfo.allAuthenticated) }
        var extra: [String: [String]] = [:]
        for (header, value) in request.headers {
            let lower = header.lowercased()
            guard let prefix = configuration.extraHeaderPrefixes.first(where: { lower.hasPrefix($0.lowercased()) }) else { continue }
            let key = String(lower.dropFirst(prefix.count))
            extra[key.removingPercentEncoding ?? key, default: []].append(value)
        }
        return UserInfo(name: name, groups: groups, extra: extra)
    }
}
