import Crypto
import Foundation
import FuzzSupport
import Logging
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffPKI
import SkiffRegistry
import SkiffStorage

/// The server side the authenticator reads: a registry on memory storage holding the namespace
/// `default` and the service account `default/robot`, and an issuer with a fresh key.
struct Fixture: Sendable {
    let authenticator: ServiceAccountTokenAuthenticator
    let signer: ServiceAccountTokenSigner
    /// The uid of `default/robot`, put in place of `$UID` in fuzzed claims.
    let robotUID: String

    static func make() async throws -> Fixture {
        let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let storage = MemoryStorage()
        let registry = Registry(storage: storage, logger: logger)
        registry.register(BuiltinResources.entries(storage: storage))
        Task { await registry.run() }
        try await registry.waitUntilReady()
        let api = APIServer(registry: registry, readiness: Readiness(), logger: logger)
        _ = try await create(api, "/api/v1/namespaces", ["metadata": ["name": "default"]])
        let robot = try await create(api, "/api/v1/namespaces/default/serviceaccounts", ["metadata": ["name": "robot"]])
        let signer = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        let issuer = ServiceAccountIssuer(signer: signer)
        return Fixture(authenticator: ServiceAccountTokenAuthenticator(issuer: issuer, registry: registry, clock: SystemClock()),
                       signer: signer, robotUID: robot[path: "metadata", "uid"]?.stringValue ?? "")
    }

    static func create(_ api: APIServer, _ path: String, _ object: JSONValue) async throws -> JSONValue {
        let response = await api.handle(HTTPRequest(method: .POST, uri: path, headers: ["Content-Type": "application/json"], body: object.serialized()))
        guard response.status == .created, case .bytes(let body) = response.body else { throw SetupFailed(path: path) }
        return try JSONValue(parsing: body)
    }

    struct SetupFailed: Error {
        let path: String
    }

    /// The token of `data`: the first byte picks how it is made from the rest.
    /// 0: the rest is the token. 1: the rest is a claims JSON, signed with the issuer's key.
    /// 2: the rest is a JOSE header JSON put in place of a validly signed token's header.
    func token(_ data: [UInt8]) async -> String? {
        guard let mode = data.first else { return nil }
        let rest = String(decoding: data.dropFirst(), as: UTF8.self)
        switch mode % 3 {
        case 0:
            return rest
        case 1:
            let json = rest.replacingOccurrences(of: "$UID", with: robotUID)
            guard let claims = try? JSONDecoder().decode(ServiceAccountClaims.self, from: Data(json.utf8)) else { return nil }
            return try? await signer.sign(claims)
        default:
            let now = Int64(Date().timeIntervalSince1970)
            let claims = ServiceAccountClaims(
                issuer: ServiceAccountIssuer.defaultIssuer, audiences: [ServiceAccountIssuer.defaultIssuer], issuedAt: now,
                expiresAt: now + 3600, id: "fuzz", kubernetes: .init(namespace: "default", serviceAccount: .init(name: "robot", uid: robotUID)))
            guard let signed = try? await signer.sign(claims) else { return nil }
            let parts = signed.split(separator: ".", omittingEmptySubsequences: false)
            let header = Data(rest.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            return ([header] + parts.dropFirst().map(String.init)).joined(separator: ".")
        }
    }
}

extension Fixture {
    /// Made on first use (top-level code of `main.swift` never runs: libFuzzer brings `main`).
    static let shared = runBlocking { () -> Result<Fixture, any Error> in
        do { return .success(try await Fixture.make()) } catch { return .failure(error) }
    }
}

/// libFuzzer's entry: a bearer token made from the input (see `Fixture.token`) is authenticated.
/// Refusals are fine; a crash is not, nor a user for a token that names no live service account.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServiceAccountToken(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fixture = try! Fixture.shared.get()
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let user = runBlocking { () -> UserInfo? in
        guard let token = await fixture.token(input) else { return nil }
        let request = HTTPRequest(method: .GET, uri: "/api", headers: ["Authorization": "Bearer \(token)"], body: [])
        return try? await fixture.authenticator.authenticate(request)
    }
    if let user {
        invariant(user.name == "system:serviceaccount:default:robot" && user.uid == fixture.robotUID, "authenticated as \(user)")
    }
    return 0
}
