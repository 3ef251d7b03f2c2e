import Foundation
import SkiffAPI

/// The registry credentials of a pod's image pull secrets, found for an image as upstream's
/// kubelet keyring finds them.
///
/// Each entry of a `kubernetes.io/dockerconfigjson` secret (`.dockerconfigjson`, under `auths`)
/// or a `kubernetes.io/dockercfg` secret (`.dockercfg`) is keyed by its host and path, without
/// scheme and with a `/v1/` or `/v2/` path dropped (`https://index.docker.io/v1/` →
/// `index.docker.io`). An image matches a key when the hosts have as many dot-separated parts,
/// each matching as a glob (`*.example.com`), the ports are equal and the key's path is a prefix
/// of the repository's. Keys are tried longest first, so `quay.io/team` wins over `quay.io`;
/// Docker Hub images fall back to the `index.docker.io` entry.
struct DockerKeyring: Sendable {
    static let dockerConfigJSONType = "kubernetes.io/dockerconfigjson"
    static let dockerConfigJSONKey = ".dockerconfigjson"
    static let dockercfgType = "kubernetes.io/dockercfg"
    static let dockercfgKey = ".dockercfg"
    static let defaultRegistryHost = "index.docker.io"

    private var credentials: [String: [RegistryCredential]] = [:]
    /// The keys, reverse-sorted: more specific paths first.
    private var index: [String] = []

    /// The credentials of `secrets` (type and decoded data each), in order; other types add none.
    init(secrets: [(type: String, data: [String: [UInt8]])]) {
        for secret in secrets {
            let entries: JSONValue?
            if secret.type == Self.dockerConfigJSONType, let bytes = secret.data[Self.dockerConfigJSONKey] {
                entries = (try? JSONValue(parsing: bytes))?["auths"]
            } else if secret.type == Self.dockercfgType, let bytes = secret.data[Self.dockercfgKey] {
                entries = try? JSONValue(parsing: bytes)
            } else {
                entries = nil
            }
            for (location, entry) in entries?.objectValue ?? [:] {
                guard let key = Self.key(location), let credential = Self.credential(entry) else { continue }
                credentials[key, default: []].append(credential)
            }
        }
        index = credentials.keys.sorted(by: >)
    }

    /// The credentials to try for `image`, most specific first; empty: pull anonymously.
    func lookup(_ image: String) -> [RegistryCredential] {
        let name = ImageName(image)
        let repository = "\(name.domain)/\(name.repository)"
        let found = index.filter { Self.matches(key: $0, repository: repository) }.flatMap { credentials[$0] ?? [] }
        if !found.isEmpty { return found }
        return name.domain == "docker.io" ? credentials[Self.defaultRegistryHost] ?? [] : []
    }

    /// A location as the keyring keys it: host and path, no scheme, no `/v1/` or `/v2/`.
    private static func key(_ location: String) -> String? {
        let value = location.hasPrefix("https://") || location.hasPrefix("http://") ? location : "https://" + location
        guard let url = URLComponents(string: value), let host = url.host, !host.isEmpty else { return nil }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        var path = url.path
        if path.hasPrefix("/v2/") || path.hasPrefix("/v1/") { path = String(path.dropFirst(3)) }
        return path.isEmpty || path == "/" ? authority : authority + path
    }

    /// Whether the key (a glob host, a port, a path prefix) covers `repository` (host/path).
    static func matches(key: String, repository: String) -> Bool {
        guard let glob = URLComponents(string: "https://" + key), let target = URLComponents(string: "https://" + repository),
            let globHost = glob.host, let targetHost = target.host, glob.port == target.port, target.path.hasPrefix(glob.path)
        else { return false }
        let globParts = globHost.split(separator: ".", omittingEmptySubsequences: false)
        let targetParts = targetHost.split(separator: ".", omittingEmptySubsequences: false)
        guard globParts.count == targetParts.count else { return false }
        return zip(globParts, targetParts).allSatisfy { fnmatch(String($0), String($1), 0) == 0 }
    }

    /// One entry's credentials: the base64 `auth` (`user:password`) when present, else
    /// `username` and `password`; nil when `auth` does not decode.
    private static func credential(_ entry: JSONValue) -> RegistryCredential? {
        guard let auth = entry["auth"]?.stringValue, !auth.isEmpty else {
            return RegistryCredential(username: entry["username"]?.stringValue ?? "", password: entry["password"]?.stringValue ?? "")
        }
        guard let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }), let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return RegistryCredential(username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
    }
}
