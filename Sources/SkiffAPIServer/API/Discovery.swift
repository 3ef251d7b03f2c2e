import SkiffAPI
import SkiffRegistry

/// The discovery documents, legacy (`/api`, `/apis`, `/api/v1`, `/apis/{g}/{v}`) and aggregated
/// (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`, which kubectl asks for first).
struct Discovery: Sendable {
    let resources: [ResourceInfo]
    let serverAddress: String
    /// The group versions extension servers serve (by their APIServices), merged after the built-in ones.
    var extensions: [ExtensionDiscovery.GroupVersion] = []

    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// `/api`: the core group's versions.
    func coreVersions() -> JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    /// `/apis`: the named groups.
    func groups() -> JSONValue {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groupNames.map(group))]
    }

    /// `/apis/{group}`.
    func group(_ name: String) -> JSONValue {
        let entries = versions(of: name).map { version -> JSONValue in
            ["groupVersion": .string("\(name)/\(version)"), "version": .string(version)]
        }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": .array(entries),
                "preferredVersion": entries.first ?? .null]
    }

    /// The versions of the group `name`, built-in and extension ones, preferred first.
    private func versions(of name: String) -> [String] {
        let all = resources.filter { $0.group == name }.map(\.version) + extensions.filter { $0.group == name }.map(\.version)
        return Array(Set(all)).sorted(by: APIVersionPriority.precedes)
    }

    var groupNames: [String] {
        var seen: [String] = []
        for group in resources.map(\.group) + extensions.map(\.group) where !group.isEmpty && !seen.contains(group) { seen.append(group) }
        return seen
    }

    /// `/api/v1`, `/apis/{g}/{v}`: the resources of a group version; nil when it is not served.
    func resourceList(_ groupVersion: GroupVersion) -> JSONValue? {
        let served = resources.filter { $0.groupVersion == groupVersion }
        guard !served.isEmpty else { return nil }
        var entries: [JSONValue] = []
        for info in served {
            var entry: JSONValue = [
                "name": .string(info.plural), "singularName": .string(info.singular), "namespaced": .bool(info.namespaced),
                "kind": .string(info.kind), "verbs": .array(info.verbs.map(JSONValue.string)),
                "storageVersionHash": .string(StableHash.short("\(info.group)/\(info.version)/\(info.kind)")),
            ]
            if !info.shortNames.isEmpty { entry["shortNames"] = .array(info.shortNames.map(JSONValue.string)) }
            if !info.categories.isEmpty { entry["categories"] = .array(info.categories.map(JSONValue.string)) }
            entries.append(entry)
            for subresource in info.subresources.sorted(by: { $0.rawValue < $1.rawValue }) {
                let (kind, group, version, verbs) = subresourceShape(subresource, of: info)
                var sub: JSONValue = ["name": .string("\(info.plural)/\(subresource.rawValue)"), "singularName": "",
                                      "namespaced": .bool(info.namespaced), "kind": .string(kind), "verbs": .array(verbs.map(JSONValue.string))]
                if group != info.group || version != info.version {
                    sub["group"] = .string(group)
                    sub["version"] = .string(version)
                }
                entries.append(sub)
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion.apiVersion), "resources": .array(entries)]
    }

    private func subresourceShape(_ subresource: ResourceInfo.Subresource, of info: ResourceInfo) -> (String, String, String, [String]) {
        switch subresource {
        case .status, .approval: return (info.kind, info.group, info.version, ["get", "patch", "update"])
        case .scale: return ("Scale", "autoscaling", "v1", ["get", "patch", "update"])
        case .binding: return ("Binding", "", "v1", ["create"])
        case .eviction: return ("Eviction", "policy", "v1", ["create"])
        case .finalize: return (info.kind, info.group, info.version, ["update"])
        }
    }

    /// The aggregated discovery document of `/api` (core) or `/apis` (named groups).
    func aggregated(core: Bool) -> JSONValue {
        let names = core ? [""] : groupNames
        let items = names.map { name -> JSONValue in
            let versionEntries = versions(of: name).map { version -> JSONValue in
                let served = resources.filter { $0.group == name && $0.version == version }.map(aggregatedResource)
                let extensions = extensions.filter { $0.group == name && $0.version == version }
                let freshness: JSONValue = extensions.contains(where: \.stale) ? "Stale" : "Current"
                return ["version": .string(version), "freshness": freshness, "resources": .array(served + extensions.flatMap(aggregatedResources))]
            }
            var metadata: JSONValue = ["creationTimestamp": nil]
            if !name.isEmpty { metadata["name"] = .string(name) }
            return ["metadata": metadata, "versions": .array(versionEntries)]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject, "items": .array(items)]
    }

    private func aggregatedResource(_ info: ResourceInfo) -> JSONValue {
        var entry: JSONValue = [
            "resource": .string(info.plural), "singularResource": .string(info.singular),
            "scope": info.namespaced ? "Namespaced" : "Cluster",
            "responseKind": ["group": .string(info.group), "version": .string(info.version), "kind": .string(info.kind)],
            "verbs": .array(info.verbs.map(JSONValue.string)),
        ]
        if !info.shortNames.isEmpty { entry["shortNames"] = .array(info.shortNames.map(JSONValue.string)) }
        if !info.categories.isEmpty { entry["categories"] = .array(info.categories.map(JSONValue.string)) }
        let subresources = info.subresources.sorted(by: { $0.rawValue < $1.rawValue }).map { subresource -> JSONValue in
            let (kind, group, version, verbs) = subresourceShape(subresource, of: info)
            return ["subresource": .string(subresource.rawValue),
                    "responseKind": ["group": .string(group), "version": .string(version), "kind": .string(kind)],
                    "verbs": .array(verbs.map(JSONValue.string))]
        }
        if !subresources.isEmpty { entry["subresources"] = .array(subresources) }
        return entry
    }
}

extension Discovery {
    /// An extension server's `APIResourceList` entries in the aggregated shape: a resource per
    /// entry without a slash, with the entries `<resource>/<subresource>` as its subresources.
    func aggregatedResources(_ groupVersion: ExtensionDiscovery.GroupVersion) -> [JSONValue] {
        func responseKind(_ entry: JSONValue) -> JSONValue {
            ["group": entry["group"] ?? .string(groupVersion.group), "version": entry["version"] ?? .string(groupVersion.version),
             "kind": entry["kind"] ?? ""]
        }
        let entries = groupVersion.resources
        return entries.compactMap { entry -> JSONValue? in
            guard let name = entry["name"]?.stringValue, !name.contains("/") else { return nil }
            var resource: JSONValue = [
                "resource": .string(name), "singularResource": entry["singularName"] ?? "",
                "scope": entry["namespaced"]?.boolValue == true ? "Namespaced" : "Cluster",
                "responseKind": responseKind(entry), "verbs": entry["verbs"] ?? .array([]),
            ]
            for field in ["shortNames", "categories"] where !(entry[field]?.arrayValue ?? []).isEmpty { resource[field] = entry[field] }
            let subresources = entries.compactMap { sub -> JSONValue? in
                guard let subName = sub["name"]?.stringValue, subName.hasPrefix(name + "/") else { return nil }
                return ["subresource": .string(String(subName.dropFirst(name.count + 1))), "responseKind": responseKind(sub),
                        "verbs": sub["verbs"] ?? .array([])]
            }
            if !subresources.isEmpty { resource["subresources"] = .array(subresources) }
            return resource
        }
    }
}

/// A small stable (FNV-1a) hash for identifiers that must not change between runs.
enum StableHash {
    static func short(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(String(hash, radix: 36).prefix(11))
    }
}
