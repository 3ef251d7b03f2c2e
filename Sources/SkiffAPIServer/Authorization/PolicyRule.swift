import SkiffAPI

/// One rule of a Role or ClusterRole (rbac/v1 `PolicyRule`), decoded once from the object.
public struct PolicyRule: Sendable, Hashable {
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [], nonResourceURLs: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// A rule on resources.
    static func resources(_ verbs: [String], groups: [String], _ resources: [String], names: [String] = []) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names)
    }

    /// A rule on non-resource URLs.
    static func urls(_ verbs: [String], _ urls: [String]) -> PolicyRule {
        PolicyRule(verbs: verbs, nonResourceURLs: urls)
    }

    /// The rule of a role's `rules[]` entry.
    public init(json: JSONValue) {
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
                  resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    /// The rule as a `rules[]` entry (empty lists left out, as upstream's JSON).
    public var json: JSONValue {
        var object: [String: JSONValue] = ["verbs": .array(verbs.map(JSONValue.string))]
        for (key, values) in [("apiGroups", apiGroups), ("resources", resources), ("resourceNames", resourceNames), ("nonResourceURLs", nonResourceURLs)]
        where !values.isEmpty || (key == "apiGroups" && !resources.isEmpty) {
            object[key] = .array(values.map(JSONValue.string))
        }
        return .object(object)
    }

    /// The rules of a role object (`rules`).
    static func rules(of role: JSONValue) -> [PolicyRule] {
        role["rules"]?.arrayValue?.map(PolicyRule.init(json:)) ?? []
    }

    /// Whether the rule allows the request (upstream's `RuleAllows`).
    public func allows(_ attributes: AuthorizationAttributes) -> Bool {
        guard verbs.contains("*") || verbs.contains(attributes.verb) else { return false }
        if !attributes.isResourceRequest {
            return nonResourceURLs.contains { Self.url($0, covers: attributes.path) }
        }
        let combined = attributes.subresource.isEmpty ? attributes.resource : attributes.resource + "/" + attributes.subresource
        return (apiGroups.contains("*") || apiGroups.contains(attributes.apiGroup))
            && resources.contains { Self.resource($0, covers: combined, subresource: attributes.subresource) }
            && (resourceNames.isEmpty || resourceNames.contains(attributes.name))
    }

    /// `*`, the exact resource, or `*/SUBRESOURCE`.
    static func resource(_ rule: String, covers combined: String, subresource: String) -> Bool {
        rule == "*" || rule == combined || (!subresource.isEmpty && rule == "*/" + subresource)
    }

    /// `*`, the exact path, or a prefix ending in `*`.
    static func url(_ rule: String, covers path: String) -> Bool {
        if rule == "*" || rule == path { return true }
        return rule.hasSuffix("*") && path.hasPrefix(rule.dropLast())
    }

    /// The rule in upstream's compact form, for escalation messages:
    /// `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}`.
    public var compactDescription: String {
        func quoted(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: " ") + "]" }
        var parts: [String] = []
        if !apiGroups.isEmpty { parts.append("APIGroups:" + quoted(apiGroups)) }
        if !resources.isEmpty { parts.append("Resources:" + quoted(resources)) }
        if !resourceNames.isEmpty { parts.append("ResourceNames:" + quoted(resourceNames)) }
        if !nonResourceURLs.isEmpty { parts.append("NonResourceURLs:" + quoted(nonResourceURLs)) }
        if !verbs.isEmpty { parts.append("Verbs:" + quoted(verbs)) }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
