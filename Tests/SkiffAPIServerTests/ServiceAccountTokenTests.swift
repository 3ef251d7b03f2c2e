import Crypto
import Foundation
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffPKI
import SkiffTesting
import Testing

/// Service account tokens through the whole server: the TokenRequest API, the token
/// authenticator's checks, the issuer discovery documents, and bootstrap tokens.
@Suite struct ServiceAccountTokenTests {
    static let admin = AccessControlTests.bearer("admin-token")

    static func options(clock: ManualClock, signer: ServiceAccountTokenSigner) -> APIServer.Options {
        var options = AccessControlTests.options()
        options.clock = clock
        options.serviceAccountIssuer = ServiceAccountIssuer(signer: signer, maxExpirationSeconds: 48 * 3600)
        options.enableBootstrapTokenAuth = true
        return options
    }

    static func withServer(_ body: @escaping @Sendable (APIServerHarness, ManualClock) async throws -> Void) async throws {
        let clock = ManualClock(start: SystemClock().now)
        let signer = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        try await APIServerHarness.with(.router, options: options(clock: clock, signer: signer)) { server in try await body(server, clock) }
    }

    static func create(_ server: APIServerHarness, _ path: String, _ object: JSONValue) async throws -> JSONValue {
        let response = try await server.send(.POST, path, json: object, headers: admin)
        #expect(response.status == 201)
        return try response.json()
    }

    static func requestToken(_ server: APIServerHarness, account: String, spec: JSONValue = .emptyObject) async throws -> TestResponse {
        try await server.send(.POST, "/api/v1/namespaces/default/serviceaccounts/\(account)/token",
                              json: ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec], headers: admin)
    }

    static func token(_ server: APIServerHarness, account: String, spec: JSONValue = .emptyObject) async throws -> String {
        let response = try await requestToken(server, account: account, spec: spec)
        #expect(response.status == 201)
        return try #require(try response.json()[path: "status", "token"]?.stringValue)
    }

    /// The user the server takes `token` for, or the status code refusing it.
    static func whoami(_ server: APIServerHarness, _ token: String) async throws -> Result<JSONValue, StatusCode> {
        let response = try await server.send(.POST, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                             json: ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"],
                                             headers: AccessControlTests.bearer(token))
        guard response.status == 201 else { return .failure(StatusCode(code: response.status)) }
        return .success(try #require(try response.json()[path: "status", "userInfo"]))
    }

    struct StatusCode: Error, Equatable {
        let code: Int
    }

    @Test func requestedTokenAuthenticatesAsTheAccount() async throws {
        try await Self.withServer { server, clock in
            let account = try await Self.create(server, "/api/v1/namespaces/default/serviceaccounts", ["metadata": ["name": "robot"]])
            let response = try await Self.requestToken(server, account: "robot")
            let answer = try response.json()
            #expect(answer["kind"] == "TokenRequest")
            #expect(answer[path: "spec", "expirationSeconds"] == 3600)
            #expect(answer[path: "spec", "audiences"] == ["https://kubernetes.default.svc.cluster.local"])
            #expect(answer[path: "status", "expirationTimestamp"] == .string(Timestamp(seconds: clock.now.seconds + 3600).rfc3339))
            let token = try #require(answer[path: "status", "token"]?.stringValue)
            let user = try await Self.whoami(server, token).get()
            #expect(user["username"] == "system:serviceaccount:default:robot")
            #expect(user["uid"] == account[path: "metadata", "uid"])
            #expect(user["groups"] == ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"])
            #expect(user[path: "extra", "authentication.kubernetes.io/credential-id"]?.arrayValue?.first?.stringValue?.hasPrefix("JTI=") == true)
            // Expired: an hour later it is refused.
            clock.advance(seconds: 3600)
            #expect(try await Self.whoami(server, token) == .failure(StatusCode(code: 401)))
        }
    }

    @Test func refusedTokens() async throws {
        try await Self.withServer { server, _ in
            _ = try await Self.create(server, "/api/v1/namespaces/default/serviceaccounts", ["metadata": ["name": "robot"]])
            let token = try await Self.token(server, account: "robot")
            var parts = token.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            #expect(try await Self.whoami(server, parts.joined(separator: ".")) == .failure(StatusCode(code: 401)))
            // Another audience is not the API's.
            let elsewhere = try await Self.token(server, account: "robot", spec: ["audiences": ["vault"]])
            #expect(try await Self.whoami(server, elsewhere) == .failure(StatusCode(code: 401)))
            // A token of a deleted account, even when one of the same name comes back.
            #expect(try await server.send(.DELETE, "/api/v1/namespaces/default/serviceaccounts/robot", headers: Self.admin).status == 200)
            try await waitUntil("the deleted account's token is refused") { try await Self.whoami(server, token) == .failure(StatusCode(code: 401)) }
            _ = try await Self.create(server, "/api/v1/namespaces/default/serviceaccounts", ["metadata": ["name": "robot"]])
            let afterRecreation = try await Self.whoami(server, token)
            #expect(afterRecreation == .failure(StatusCode(code: 401)))
            // The refusal is upstream's Status.
            let refused = try await server.send(.GET, "/api/v1/namespaces", headers: AccessControlTests.bearer(token))
            #expect(refused.status == 401)
            #expect(try refused.json()["reason"] == "Unauthorized")
        }
    }

    @Test func tokenRequestValidation() async throws {
        try await Self.withServer { server, clock in
            let missing = try await Self.requestToken(server, account: "ghost")
            #expect(missing.status == 404)
            #expect(try missing.json()["message"] == #"serviceaccounts "ghost" not found"#)
            _ = try await Self.create(server, "/api/v1/namespaces/default/serviceaccounts", ["metadata": ["name": "robot"]])
            let short = try await Self.requestToken(server, account: "robot", spec: ["expirationSeconds": 599])
            #expect(short.status == 422)
            #expect(try short.json()["message"]
                    == #"TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes"#)
            // Longer than --service-account-max-token-expiration is cut to it.
            let long = try await Self.requestToken(server, account: "robot", spec: ["expirationSeconds": .int(7 * 24 * 3600)])
            #expect(try long.json()[path: "status", "expirationTimestamp"] == .string(Timestamp(seconds: clock.now.seconds + 48 * 3600).rfc3339))
            let kind = try await Self.requestToken(server, account: "robot", spec: ["boundObjectRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "x"]])
            #expect(kind.status == 400)
            #expect(try kind.json()["message"] == "cannot bind token to object of type apps/v1, Kind=Deployment")
        }
    }

    @Test func podBoundTokenEndsWithThePod() async throws {
        try await Self.withServer { server, _ in
            _ = try await Self.create(server, "/api/v1/namespaces/default/serviceaccounts", ["metadata": ["name": "robot"]])
            let pod = try await Self.create(server, "/api/v1/namespaces/default/pods", [
                "metadata": ["name": "web"],
                "spec": ["serviceAccountName": "robot", "containers": [["name": "c", "image": "nginx"]]],
            ])
            let other = try await Self.requestToken(server, account: "default", spec: ["boundObjectRef": ["apiVersion": "v1", "kind": "Pod", "name": "web"]])
            #expect(other.status == 404 || other.status == 400)
            let wrongUID = try await Self.requestToken(server, account: "robot", spec: [
                "boundObjectRef": ["apiVersion": "v1", "kind": "Pod", "name": "web", "uid": "nope"]])
            #expect(wrongUID.status == 409)
            let token = try await Self.token(server, account: "robot", spec: ["boundObjectRef": ["apiVersion": "v1", "kind": "Pod", "name": "web"]])
            let user = try await Self.whoami(server, token).get()
            #expect(user[path: "extra", "authentication.kubernetes.io/pod-name"] == ["web"])
            #expect(user[path: "extra", "authentication.kubernetes.io/pod-uid"] == .array([pod[path: "metadata", "uid"] ?? .null]))
            #expect(try await server.send(.DELETE, "/api/v1/namespaces/default/pods/web?gracePeriodSeconds=0", headers: Self.admin).status == 200)
            try await waitUntil("the pod's token is refused") { try await Self.whoami(server, token) == .failure(StatusCode(code: 401)) }
        }
    }

    @Test func issuerDiscovery() async throws {
        try await Self.withServer { server, _ in
            let configuration = try await server.send(.GET, "/.well-known/openid-configuration", headers: Self.admin)
            #expect(configuration.status == 200)
            #expect(try configuration.json()["issuer"] == "https://kubernetes.default.svc.cluster.local")
            #expect(try configuration.json()["id_token_signing_alg_values_supported"] == ["ES256"])
            let keys = try await server.send(.GET, "/openid/v1/jwks", headers: Self.admin)
            #expect(keys.headers.first(name: "content-type") == "application/jwk-set+json")
            #expect(try keys.json()["keys"]?.arrayValue?.first?["kty"] == "EC")
            // Anonymous users are not bound to the discovery role.
            #expect(try await server.send(.GET, "/openid/v1/jwks").status == 403)
        }
    }

    @Test func bootstrapTokenParsing() {
        #expect(BootstrapToken("abcdef.0123456789abcdef") == BootstrapToken("abcdef.0123456789abcdef"))
        #expect(BootstrapToken("abcdef.0123456789abcdef")?.secretName == "bootstrap-token-abcdef")
        #expect(BootstrapToken("abcdef.0123456789abcdef")?.userName == "system:bootstrap:abcdef")
        for bad in ["abcdef", "ABCDEF.0123456789abcdef", "abcde.0123456789abcdef", "abcdef.0123456789abcde", "abcdef.0123456789abcdef.x", "abcd-f.0123456789abcdef"] {
            #expect(BootstrapToken(bad) == nil)
        }
        #expect(BootstrapToken.isValidExtraGroup("system:bootstrappers:kubeadm:default-node-token"))
        #expect(!BootstrapToken.isValidExtraGroup("system:masters"))
        #expect(!BootstrapToken.isValidExtraGroup("system:bootstrappers:"))
        #expect(!BootstrapToken.isValidExtraGroup("system:bootstrappers:x-"))
    }

    @Test func bootstrapTokenAuthenticates() async throws {
        try await Self.withServer { server, clock in
            func secret(_ name: String, _ data: [String: String]) -> JSONValue {
                ["metadata": ["name": .string(name)], "type": "bootstrap.kubernetes.io/token",
                 "data": .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) })]
            }
            _ = try await Self.create(server, "/api/v1/namespaces/kube-system/secrets", secret("bootstrap-token-abcdef", [
                "token-id": "abcdef", "token-secret": "0123456789abcdef", "usage-bootstrap-authentication": "true",
                "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token",
                "expiration": Timestamp(seconds: clock.now.seconds + 600).rfc3339,
            ]))
            _ = try await Self.create(server, "/api/v1/namespaces/kube-system/secrets", secret("bootstrap-token-ghijkl", [
                "token-id": "ghijkl", "token-secret": "0123456789abcdef",
            ]))
            let user = try await Self.whoami(server, "abcdef.0123456789abcdef").get()
            #expect(user["username"] == "system:bootstrap:abcdef")
            #expect(user["groups"] == ["system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token", "system:authenticated"])
            #expect(try await Self.whoami(server, "abcdef.0123456789abcdee") == .failure(StatusCode(code: 401)))
            // Not for authentication, or unknown.
            #expect(try await Self.whoami(server, "ghijkl.0123456789abcdef") == .failure(StatusCode(code: 401)))
            #expect(try await Self.whoami(server, "zzzzzz.0123456789abcdef") == .failure(StatusCode(code: 401)))
            clock.advance(seconds: 600)
            #expect(try await Self.whoami(server, "abcdef.0123456789abcdef") == .failure(StatusCode(code: 401)))
        }
    }
}
