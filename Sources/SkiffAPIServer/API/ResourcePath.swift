import SkiffAPI

/// A request path under `/api` or `/apis`, split into what it names.
struct ResourcePath: Equatable {
    var groupVersion: GroupVersion
    var namespace: String?
    var resource: String
    var name: String?
    var subresource: String?
    /// The legacy `/watch/` prefix was used.
    var legacyWatch = false

    /// Parses the segments after `/api/v1` or `/apis/{group}/{version}`; nil when they name nothing.
    init?(groupVersion: GroupVersion, segments: ArraySlice<String>) {
        var segments = segments
        self.groupVersion = groupVersion
        if segments.first == "watch" {
            legacyWatch = true
            segments = segments.dropFirst()
        }
        let parts = Array(segments)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        let namespaced = parts[0] == "namespaces" && parts.count >= 3 && !(parts.count == 3 && (parts[2] == "status" || parts[2] == "finalize"))
        let subresourceIndex = namespaced ? 4 : 2
        // Only a proxy has a path after its subresource (`…/services/web:80/proxy/a/b`).
        guard parts.count <= subresourceIndex + 1 || parts[subresourceIndex] == "proxy" else { return nil }
        if namespaced {
            namespace = parts[1]
            resource = parts[2]
            name = parts.count > 3 ? parts[3] : nil
            subresource = parts.count > 4 ? parts[4] : nil
        } else {
            resource = parts[0]
            name = parts.count > 1 ? parts[1] : nil
            subresource = parts.count > 2 ? parts[2] : nil
        }
    }
}
