import SkiffAPI

/// A FlowSchema as classification reads it (upstream's `matchesFlowSchema`): a request belongs
/// to the schema when one of its rules names one of the request's subjects and one of the rule's
/// resource rules (for resource requests) or non-resource rules (for the rest) covers the request.
struct FlowSchemaPolicy: Sendable, Hashable {
    /// How requests of one schema are told apart into flows.
    enum Distinguisher: Sendable, Hashable {
        case none
        case byUser
        case byNamespace
    }

    struct Subject: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case user(String)
            case group(String)
            case serviceAccount(namespace: String, name: String)
        }

        var kind: Kind

        func matches(_ user: UserInfo) -> Bool {
            switch kind {
            case .user(let name): return name == "*" || name == user.name
            case .group(let name): return name == "*" || user.groups.contains(name)
            case .serviceAccount(let namespace, let name):
                guard let account = UserInfo.serviceAccount(ofUserName: user.name), account.namespace == namespace else { return false }
                return name == "*" || name == account.name
            }
        }
    }

    struct ResourceRule: Sendable, Hashable {
        var verbs: [String]
        var apiGroups: [String]
        var resources: [String]
        var clusterScope: Bool
        var namespaces: [String]

        /// `resources` name `RESOURCE/SUBRESOURCE` for a subresource; a request without a
        /// namespace needs `clusterScope`.
        func matches(_ info: RequestInfo) -> Bool {
            guard Self.covers(verbs, info.verb), Self.covers(apiGroups, info.apiGroup) else { return false }
            let resource = info.subresource.isEmpty ? info.resource : info.resource + "/" + info.subresource
            guard Self.covers(resources, resource) else { return false }
            return info.namespace.isEmpty ? clusterScope : Self.covers(namespaces, info.namespace)
        }

        static func covers(_ values: [String], _ value: String) -> Bool { values.contains("*") || values.contains(value) }
    }

    struct NonResourceRule: Sendable, Hashable {
        var verbs: [String]
        var urls: [String]

        /// A URL is `*`, an exact path, or a prefix (a trailing `*` dropped) covering the paths
        /// below it.
        func matches(_ info: RequestInfo) -> Bool {
            guard ResourceRule.covers(verbs, info.verb) else { return false }
            return urls.contains { url in
                if url == "*" || url == info.path { return true }
                var prefix = url.hasSuffix("*") ? String(url.dropLast()) : url
                if !prefix.hasSuffix("/") { prefix += "/" }
                return info.path.hasPrefix(prefix)
            }
        }
    }

    struct Rule: Sendable, Hashable {
        var subjects: [Subject]
        var resourceRules: [ResourceRule]
        var nonResourceRules: [NonResourceRule]

        func matches(_ user: UserInfo, _ info: RequestInfo) -> Bool {
            guard subjects.contains(where: { $0.matches(user) }) else { return false }
            return info.isResourceRequest ? resourceRules.contains { $0.matches(info) } : nonResourceRules.contains { $0.matches(info) }
        }
    }

    var name: String
    var uid: String
    var matchingPrecedence: Int64
    var priorityLevel: String
    var distinguisher: Distinguisher
    var rules: [Rule]

    func matches(_ user: UserInfo, _ info: RequestInfo) -> Bool { rules.contains { $0.matches(user, info) } }

    /// The flow a request of this schema belongs to: the user's name or the namespace, as the
    /// distinguisher method says.
    func flowDistinguisher(_ user: UserInfo, _ info: RequestInfo) -> String {
        switch distinguisher {
        case .none: return ""
        case .byUser: return user.name
        case .byNamespace: return info.namespace
        }
    }

    /// Schemas in matching order: lower precedence first, then by name.
    static func precedes(_ lhs: FlowSchemaPolicy, _ rhs: FlowSchemaPolicy) -> Bool {
        (lhs.matchingPrecedence, lhs.name) < (rhs.matchingPrecedence, rhs.name)
    }
}

extension FlowSchemaPolicy {
    /// The schema a stored FlowSchema describes.
    init(_ object: JSONValue) {
        let spec = object["spec"] ?? .emptyObject
        func strings(_ value: JSONValue?, _ key: String) -> [String] { value?[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        name = object.name ?? ""
        uid = object.uid ?? ""
        matchingPrecedence = spec["matchingPrecedence"]?.intValue ?? 1000
        priorityLevel = spec[path: "priorityLevelConfiguration", "name"]?.stringValue ?? ""
        switch spec[path: "distinguisherMethod", "type"]?.stringValue {
        case "ByUser": distinguisher = .byUser
        case "ByNamespace": distinguisher = .byNamespace
        default: distinguisher = .none
        }
        rules = (spec["rules"]?.arrayValue ?? []).map { rule in
            Rule(
                subjects: (rule["subjects"]?.arrayValue ?? []).compactMap { subject -> Subject? in
                    switch subject["kind"]?.stringValue {
                    case "User": return subject[path: "user", "name"]?.stringValue.map { Subject(kind: .user($0)) }
                    case "Group": return subject[path: "group", "name"]?.stringValue.map { Subject(kind: .group($0)) }
                    case "ServiceAccount":
                        guard let account = subject["serviceAccount"] else { return nil }
                        return Subject(kind: .serviceAccount(namespace: account["namespace"]?.stringValue ?? "",
                                                             name: account["name"]?.stringValue ?? ""))
                    default: return nil
                    }
                },
                resourceRules: (rule["resourceRules"]?.arrayValue ?? []).map {
                    ResourceRule(verbs: strings($0, "verbs"), apiGroups: strings($0, "apiGroups"), resources: strings($0, "resources"),
                                 clusterScope: $0["clusterScope"]?.boolValue ?? false, namespaces: strings($0, "namespaces"))
                },
                nonResourceRules: (rule["nonResourceRules"]?.arrayValue ?? []).map {
                    NonResourceRule(verbs: strings($0, "verbs"), urls: strings($0, "nonResourceURLs"))
                })
        }
    }
}
