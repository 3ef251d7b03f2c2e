import NIOHTTP1
import SkiffAPI

/// The service account issuer discovery documents (upstream's `ServiceAccountIssuerDiscovery`):
/// `/.well-known/openid-configuration` and the key set at `/openid/v1/jwks`, both cacheable for an
/// hour. Served only when the issuer is an `https` URL, as upstream.
struct OIDCDiscovery: Sendable {
    static let configurationPath = "/.well-known/openid-configuration"
    static let keySetPath = "/openid/v1/jwks"

    let issuer: ServiceAccountIssuer

    /// The answer for `path`, or nil when it is not one of the discovery paths.
    func respond(path: String, request: HTTPRequest) throws -> HTTPResponse? {
        guard path == Self.configurationPath || path == Self.keySetPath, issuer.issuer.hasPrefix("https://") else { return nil }
        guard request.method == .GET || request.method == .HEAD else {
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        var response: HTTPResponse
        if path == Self.configurationPath {
            let host = request.headers.first(name: "host") ?? "localhost"
            response = .json([
                "issuer": .string(issuer.issuer),
                "jwks_uri": .string("https://\(host)\(Self.keySetPath)"),
                "response_types_supported": ["id_token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["ES256"],
            ])
        } else {
            let keys = issuer.signer.jsonWebKeys.map { key in JSONValue.object(key.mapValues(JSONValue.string)) }
            response = .json(["keys": .array(keys)], contentType: "application/jwk-set+json")
        }
        response.headers.replaceOrAdd(name: "cache-control", value: "public, max-age=3600")
        return response
    }
}
