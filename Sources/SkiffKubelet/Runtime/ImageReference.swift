/// An image name as container runtimes normalize it (`nginx` → `docker.io/library/nginx:latest`),
/// with a stable made-up digest for the simulated runtime's `imageID`.
struct ImageReference: Sendable, Hashable {
    /// The fully qualified reference.
    let normalized: String
    /// `repository@sha256:<64 hex>`.
    let digestReference: String

    init(_ image: String) {
        var name = image
        var suffix = ""
        if let at = name.firstIndex(of: "@") {
            suffix = String(name[at...])
            name = String(name[..<at])
        } else if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            suffix = String(name[colon...])
            name = String(name[..<colon])
        } else {
            suffix = ":latest"
        }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        if components.count == 1 {
            name = "docker.io/library/" + name
        } else if let first = components.first, !first.contains(".") && !first.contains(":") && first != "localhost" {
            name = "docker.io/" + name
        }
        normalized = name + suffix
        digestReference = suffix.hasPrefix("@") ? normalized : name + "@sha256:" + HexDigest.of(normalized)
    }
}
