import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SkiffAPI

/// A client of the distribution spec v2 API: resolves a tag to a manifest (picking this node's platform out
/// of a manifest list or OCI index) and fetches blobs into an `ImageStore`. A registry's `401`
/// challenge is answered once: `Basic` with the credential, `Bearer` with a token from its realm,
/// asked for with the credential (Basic) or anonymously.
struct RegistryClient: Sendable {
    static let manifestTypes = [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    ]

    let http: HTTPClient
    let store: ImageStore

    /// The manifest of `name` for this node's platform, its blobs fetched into the store; `credential`
    /// answers the registry's challenge (nil: anonymous).
    func pull(_ name: ImageName, credential: RegistryCredential? = nil) async throws -> ImageManifest {
        var session = Session(credential: credential)
        var manifest = try await fetchManifest(name, reference: name.reference, session: &session, notFound: "not found")
        if let entries = manifest["manifests"]?.arrayValue {
            guard let entry = entries.first(where: ImageManifest.isForThisNode), let digest = entry["digest"]?.stringValue else {
                throw ImagePullError(image: name, cause: "no match for platform in manifest: not found")
            }
            manifest = try await fetchManifest(name, reference: digest, session: &session, notFound: "not found")
        }
        guard let config = manifest[path: "config", "digest"]?.stringValue else {
            throw ImagePullError(image: name, cause: "unsupported manifest: no config")
        }
        let layers = (manifest["layers"]?.arrayValue ?? []).compactMap { $0["digest"]?.stringValue }
        if !store.hasBlob(config) {
            let bytes = try await get(name, path: "blobs/\(config)", accept: [], session: &session, notFound: "\(config): not found")
            try await store.putBlob(bytes, digest: config, image: name)
        }
        if store.foreignPlatform(config) != nil { throw ImagePullError(image: name, cause: "no match for platform in manifest: not found") }
        for digest in layers where !store.hasBlob(digest) {
            let bytes = try await get(name, path: "blobs/\(digest)", accept: [], session: &session, notFound: "\(digest): not found")
            try await store.putBlob(bytes, digest: digest, image: name)
        }
        return ImageManifest(configDigest: config, layerDigests: layers)
    }

    private func fetchManifest(_ name: ImageName, reference: String, session: inout Session, notFound: String) async throws -> JSONValue {
        let bytes = try await get(
            name, path: "manifests/\(reference)", accept: Self.manifestTypes, session: &session,
            notFound: "failed to resolve reference \"\(name)\": \(name): \(notFound)")
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw ImagePullError(image: name, cause: "invalid manifest: \(error)")
        }
    }

    /// GETs `/v2/<repository>/<path>`, answering the registry's challenge once if it makes one.
    private func get(_ name: ImageName, path: String, accept: [String], session: inout Session, notFound: String) async throws -> [UInt8] {
        let url = "\(name.scheme)://\(name.apiHost)/v2/\(name.repository)/\(path)"
        for attempt in 0..<2 {
            var request = HTTPClientRequest(url: url)
            if !accept.isEmpty { request.headers.add(name: "Accept", value: accept.joined(separator: ", ")) }
            if let authorization = session.authorization { request.headers.add(name: "Authorization", value: authorization) }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: .seconds(60))
            } catch {
                throw ImagePullError(image: name, cause: "failed to do request: Get \"\(url)\": \(error)")
            }
            let body = try await response.body.collect(upTo: 1 << 30)
            switch response.status.code {
            case 200:
                return Array(body.readableBytesView)
            case 401 where attempt == 0:
                let challenge = response.headers.first(name: "WWW-Authenticate") ?? ""
                if challenge.lowercased().hasPrefix("basic"), session.credential == nil {
                    throw ImagePullError(
                        image: name, cause: "pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials")
                }
                guard let authorization = try await answer(challenge, credential: session.credential) else {
                    throw ImagePullError(image: name, cause: "unexpected status from GET request to \(url): 401 Unauthorized")
                }
                session.authorization = authorization
            case 404:
                throw ImagePullError(image: name, cause: notFound)
            default:
                throw ImagePullError(
                    image: name, cause: "unexpected status from GET request to \(url): \(response.status.code) \(response.status.reasonPhrase)")
            }
        }
        throw ImagePullError(image: name, cause: "pull access denied, repository does not exist or may require authorization")
    }

    /// The `Authorization` header that answers `challenge`: the credential for `Basic`; for
    /// `Bearer realm="…",service="…",scope="…"`, a token from the realm, asked for with the
    /// credential or anonymously. Nil when there is no answer.
    private func answer(_ challenge: String, credential: RegistryCredential?) async throws -> String? {
        let basic = credential.map { "Basic " + Data("\($0.username):\($0.password)".utf8).base64EncodedString() }
        if challenge.lowercased().hasPrefix("basic") { return basic }
        guard challenge.lowercased().hasPrefix("bearer ") else { return nil }
        var parameters: [String: String] = [:]
        for part in challenge.dropFirst(7).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            parameters[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
        guard let realm = parameters["realm"], var components = URLComponents(string: realm) else { return nil }
        components.queryItems = ["service", "scope"].compactMap { key in parameters[key].map { URLQueryItem(name: key, value: $0) } }
        guard let url = components.string else { return nil }
        var request = HTTPClientRequest(url: url)
        if let basic { request.headers.add(name: "Authorization", value: basic) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok, let json = try? JSONValue(parsing: Array(body.readableBytesView)),
            let token = json["token"]?.stringValue ?? json["access_token"]?.stringValue
        else { return nil }
        return "Bearer \(token)"
    }

    /// What one pull keeps between its requests: the credential, and the answer to the
    /// registry's challenge once made.
    private struct Session {
        let credential: RegistryCredential?
        var authorization: String?
    }
}

/// What a pull resolved: the image config and the layers, bottom first, by digest.
struct ImageManifest: Sendable, Hashable {
    var configDigest: String
    var layerDigests: [String]

    /// Whether an entry of a manifest list or OCI index is for this node (linux, its architecture).
    static func isForThisNode(_ entry: JSONValue) -> Bool {
        entry[path: "platform", "os"]?.stringValue == "linux" && entry[path: "platform", "architecture"]?.stringValue == NodeConfiguration.architecture
    }
}
