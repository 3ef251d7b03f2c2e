import SkiffAPI

/// What the server serves (client-go's discovery client): groups with their versions from
/// `/api` and `/apis`, and the resources of a group version from `/api/v1` or `/apis/G/V`.
public struct DiscoveryClient: Sendable {
    public let rest: RESTClient

    public init(rest: RESTClient) {
        self.rest = rest
    }

    /// An API group and its versions, the preferred one first.
    public struct APIGroup: Sendable, Hashable {
        /// `""` for the core group.
        public var name: String
        public var versions: [String]
        public var preferredVersion: String
    }

    /// A resource of a group version (`metav1.APIResource`).
    public struct APIResource: Sendable, Hashable {
        /// The plural name, or `name/subresource` (`pods/status`).
        public var name: String
        public var singularName: String
        public var namespaced: Bool
        public var kind: String
        public var verbs: [String]
        public var shortNames: [String]
        public var categories: [String]

        /// Whether this is a subresource (`pods/log`) rather than a resource.
        public var isSubresource: Bool { name.contains("/") }
    }

    /// Every group, the core group first.
    public func serverGroups() async throws -> [APIGroup] {
        let core = try await rest.send(APIRequest(.GET, path: "/api")).json()
        var groups: [APIGroup] = []
        let coreVersions = core["versions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let first = coreVersions.first { groups.append(APIGroup(name: "", versions: coreVersions, preferredVersion: first)) }
        let list = try await rest.send(APIRequest(.GET, path: "/apis")).json()
        for group in list["groups"]?.arrayValue ?? [] {
            let versions = group["versions"]?.arrayValue?.compactMap { $0["version"]?.stringValue } ?? []
            let preferred = group[path: "preferredVersion", "version"]?.stringValue ?? versions.first ?? ""
            groups.append(
                APIGroup(name: group["name"]?.stringValue ?? "", versions: versions, preferredVersion: preferred))
        }
        return groups
    }

    /// The resources of one group version.
    public func serverResources(for groupVersion: GroupVersion) async throws -> [APIResource] {
        let path = groupVersion.group.isEmpty ? "/api/\(groupVersion.version)" : "/apis/\(groupVersion.group)/\(groupVersion.version)"
        let list = try await rest.send(APIRequest(.GET, path: path)).json()
        return (list["resources"]?.arrayValue ?? []).map { resource in
            APIResource(
                name: resource["name"]?.stringValue ?? "", singularName: resource["singularName"]?.stringValue ?? "",
                namespaced: resource["namespaced"]?.boolValue ?? false, kind: resource["kind"]?.stringValue ?? "",
                verbs: resource["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                shortNames: resource["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                categories: resource["categories"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }
}
