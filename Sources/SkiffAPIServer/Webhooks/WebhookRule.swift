import SkiffAPI
import SkiffRegistry

/// One `rules[]` entry of an admission webhook (upstream's `RuleWithOperations`), or one
/// `resourceRules[]` entry of an admission policy's match resources (`NamedRuleWithOperations`):
/// which operations on which group, version, resource (and subresource), scope and names it asks to see.
struct WebhookRule: Sendable, Hashable {
    var operations: [String]
    var apiGroups: [String]
    var apiVersions: [String]
    /// `pods`, `pods/status`, `pods/*`, `*`, `*/scale`, `*/*`.
    var resources: [String]
    /// `*`, `Cluster` or `Namespaced`.
    var scope: String
    /// The objects' names (policies only); empty for all.
    var resourceNames: [String]

    init(operations: [String], apiGroups: [String], apiVersions: [String], resources: [String], scope: String = "*",
         resourceNames: [String] = []) {
        self.operations = operations
        self.apiGroups = apiGroups
        self.apiVersions = apiVersions
        self.resources = resources
        self.scope = scope
        self.resourceNames = resourceNames
    }

    /// Every operation on every resource and subresource (a policy binding without `resourceRules`).
    static let everything = WebhookRule(operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*/*"])

    /// The rule as a webhook configuration states it.
    init(_ rule: JSONValue) {
        func strings(_ key: String) -> [String] { rule[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(operations: strings("operations"), apiGroups: strings("apiGroups"), apiVersions: strings("apiVersions"),
                  resources: strings("resources"), scope: rule["scope"]?.stringValue ?? "*", resourceNames: strings("resourceNames"))
    }

    /// Whether a request of `operation` on `resource`/`subresource` in `namespace` (empty for
    /// cluster-scoped objects) for the object `name` matches, as upstream's `rules.Matcher`.
    func matches(operation: AdmissionAttributes.Operation, resource: GroupVersionResource, subresource: String,
                 namespace: String, name: String = "") -> Bool {
        guard operations.contains("*") || operations.contains(operation.rawValue) else { return false }
        guard resourceNames.isEmpty || resourceNames.contains(name) else { return false }
        guard apiGroups.contains("*") || apiGroups.contains(resource.group) else { return false }
        guard apiVersions.contains("*") || apiVersions.contains(resource.version) else { return false }
        let resourceMatches = resources.contains { entry in
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let sub = parts.count > 1 ? String(parts[1]) : ""
            return (name == "*" || name == resource.resource) && (sub == "*" || sub == subresource)
        }
        guard resourceMatches else { return false }
        let isNamespace = resource.group.isEmpty && resource.resource == "namespaces"
        switch scope {
        case "Namespaced": return !isNamespace && !namespace.isEmpty
        case "Cluster": return isNamespace || namespace.isEmpty
        default: return true
        }
    }
}
