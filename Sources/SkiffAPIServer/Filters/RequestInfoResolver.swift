import NIOHTTP1

/// Works out a request's `RequestInfo` from its method, path and query, as upstream's
/// `RequestInfoFactory` does, so that authorization and metrics name what the router will serve.
public struct RequestInfoResolver: Sendable {
    /// The prefixes of resource requests; `api` is the group-less one.
    static let apiPrefixes: Set<String> = ["api", "apis"]
    /// Path segments that carry the verb (`/api/v1/watch/pods`).
    static let specialVerbs: Set<String> = ["proxy", "watch"]
    /// Namespace subresources (`/api/v1/namespaces/{name}/status`).
    static let namespaceSubresources: Set<String> = ["status", "finalize"]

    public init() {}

    public func resolve(_ request: HTTPRequest) -> RequestInfo {
        var info = RequestInfo(path: request.path, verb: request.method.rawValue.lowercased())
        var parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, Self.apiPrefixes.contains(parts[0]) else { return info }
        info.apiPrefix = parts.removeFirst()
        if info.apiPrefix == "apis" {
            guard parts.count >= 3 else { return info }
            info.apiGroup = parts.removeFirst()
        }
        info.isResourceRequest = true
        info.apiVersion = parts.removeFirst()
        if Self.specialVerbs.contains(parts[0]) {
            guard parts.count >= 2 else { return info }
            info.verb = parts.removeFirst()
        } else {
            info.verb = Self.verb(for: request.method)
        }
        if parts.first == "namespaces" {
            if parts.count > 1 {
                info.namespace = parts[1]
                if parts.count > 2 && !Self.namespaceSubresources.contains(parts[2]) { parts.removeFirst(2) }
            }
        }
        info.parts = parts
        if parts.count >= 3 && info.verb != "proxy" { info.subresource = parts[2] }
        if parts.count >= 2 { info.name = parts[1] }
        if parts.count >= 1 { info.resource = parts[0] }
        let watch = (try? request.query.bool("watch")) == true
        if info.name.isEmpty && info.verb == "get" {
            info.verb = watch ? "watch" : "list"
            if let name = Self.exactName(fieldSelector: request.query["fieldSelector"]) { info.name = name }
        } else if watch && info.verb == "get" && info.subresource.isEmpty {
            // This server also watches one object by `GET …/name?watch=true` (upstream's item
            // route ignores the parameter); such a request is a watch, not a read.
            info.verb = "watch"
        }
        if info.name.isEmpty && info.verb == "delete" { info.verb = "deletecollection" }
        return info
    }

    private static func verb(for method: HTTPMethod) -> String {
        switch method {
        case .POST: return "create"
        case .GET, .HEAD: return "get"
        case .PUT: return "update"
        case .PATCH: return "patch"
        case .DELETE: return "delete"
        default: return ""
        }
    }

    /// The name a field selector pins (`metadata.name=web`), when it is a valid path segment.
    private static func exactName(fieldSelector: String?) -> String? {
        guard let fieldSelector else { return nil }
        for term in fieldSelector.split(separator: ",") {
            for prefix in ["metadata.name==", "metadata.name="] where term.hasPrefix(prefix) {
                let name = String(term.dropFirst(prefix.count))
                let valid = !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("%")
                return valid ? name : nil
            }
        }
        return nil
    }
}
