/// An image reference split as a registry client needs it (upstream's docker reference
/// normalization): `busybox` → registry `registry-1.docker.io`, repository `library/busybox`, tag
/// `latest`; `127.0.0.1:5000/busybox` → that host, repository `busybox`.
struct ImageName: Sendable, Hashable, CustomStringConvertible {
    /// The host (and port) of the registry as the reference names it (`docker.io` for Docker Hub).
    var domain: String
    /// The repository path inside the registry.
    var repository: String
    /// The tag, or the digest (`sha256:…`).
    var reference: String

    /// Parses an image as a pod spec names it.
    init(_ image: String) {
        var name = image
        if let at = name.firstIndex(of: "@") {
            reference = String(name[name.index(after: at)...])
            name = String(name[..<at])
        } else if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            reference = String(name[name.index(after: colon)...])
            name = String(name[..<colon])
        } else {
            reference = "latest"
        }
        let components = name.split(separator: "/", maxSplits: 1).map(String.init)
        if components.count == 2, components[0].contains(".") || components[0].contains(":") || components[0] == "localhost" {
            domain = components[0]
            repository = components[1]
        } else {
            domain = "docker.io"
            repository = components.count == 1 ? "library/" + name : name
        }
    }

    /// Where the registry's API is (`registry-1.docker.io` for `docker.io`).
    var apiHost: String { domain == "docker.io" ? "registry-1.docker.io" : domain }

    /// Plain HTTP for loopback registries (as containerd treats `localhost`/127.0.0.1), HTTPS otherwise.
    var scheme: String { domain.hasPrefix("127.") || domain.hasPrefix("localhost") ? "http" : "https" }

    /// Whether `reference` is a digest.
    var isDigest: Bool { reference.hasPrefix("sha256:") }

    /// The fully qualified name (`docker.io/library/busybox:latest`).
    var description: String { "\(domain)/\(repository)\(isDigest ? "@" : ":")\(reference)" }
}
