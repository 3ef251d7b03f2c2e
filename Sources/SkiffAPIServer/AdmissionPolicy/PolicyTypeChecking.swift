import SkiffAPI
import SkiffCEL
import SkiffRegistry
import SkiffSchemas

/// Upstream's ValidatingAdmissionPolicy type checker: each validation's `expression` and
/// `messageExpression` are checked with `object` typed by the schema of every kind the policy's
/// `matchConstraints.resourceRules` name (at most 10; rules with a wildcard group or version,
/// wildcard resources and subresources are left out) and `params` by its `paramKind`'s, and
/// what does not check becomes a warning for `status.typeChecking`. Kinds are the registry's
/// (built-in and custom resources), their schemas the OpenAPI definitions with references inlined.
struct PolicyTypeChecking: Sendable {
    /// One `status.typeChecking.expressionWarnings` entry.
    struct Warning: Sendable, Equatable {
        /// The expression's field, `spec.validations[0].expression`.
        var fieldRef: String
        /// Upstream's text: for each kind whose check fails, `<group>/<version>, Kind=<kind>: ` and
        /// cel-go's errors, ending with a newline; one kind's after another's separated by a newline.
        var warning: String
    }

    /// Upstream's `maxTypesToCheck`.
    static let maxTypesToCheck = 10

    let registry: Registry

    /// The warnings of `policy`, in the order of its validations.
    func warnings(for policy: JSONValue) -> [Warning] {
        let paramsSchema = paramKind(of: policy).flatMap(schema(of:))
        let variables = Self.entries(policy, "variables").map { (name: $0["name"]?.stringValue ?? "", expression: $0["expression"]?.stringValue ?? "") }
        let checkers = kindsToCheck(policy).compactMap { kind in
            schema(of: kind).map { (kind: kind, checker: CELPolicyTypeChecker(objectSchema: $0, paramsSchema: paramsSchema, variables: variables)) }
        }
        guard !checkers.isEmpty else { return [] }
        var warnings: [Warning] = []
        for (index, validation) in Self.entries(policy, "validations").enumerated() {
            for key in ["expression", "messageExpression"] {
                let source = validation[key]?.stringValue ?? ""
                if key == "messageExpression", source.isEmpty { continue }
                let failures = checkers.compactMap { kind, checker in checker.issues(in: source).map { "\(kind.goDescription): \($0)\n" } }
                if !failures.isEmpty {
                    warnings.append(Warning(fieldRef: "spec.validations[\(index)].\(key)", warning: failures.joined(separator: "\n")))
                }
            }
        }
        return warnings
    }

    /// The kinds of the resources the rules name, sorted by group, version and kind (upstream's
    /// `typesToCheck`, which stops at the tenth kind found).
    func kindsToCheck(_ policy: JSONValue) -> [GroupVersionKind] {
        var kinds: Set<GroupVersionKind> = []
        var found = 0
        let rules = policy[path: "spec", "matchConstraints", "resourceRules"]?.arrayValue ?? []
        scan: for rule in rules {
            func names(_ key: String) -> [String] { rule[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
            let groups = names("apiGroups"), versions = names("apiVersions")
            let resources = names("resources").filter { !$0.contains("*") && !$0.contains("/") }
            guard !groups.contains(where: { $0.contains("*") }), !versions.contains(where: { $0.contains("*") }) else { continue }
            for group in groups.sorted() {
                for version in versions.sorted() {
                    for resource in resources.sorted() {
                        guard let info = registry.store(for: GroupVersionResource(group: group, version: version, resource: resource))?.info else { continue }
                        kinds.insert(GroupVersionKind(group: group, version: version, kind: info.kind))
                        found += 1
                        if found == Self.maxTypesToCheck { break scan }
                    }
                }
            }
        }
        return kinds.sorted { ($0.group, $0.version, $0.kind) < ($1.group, $1.version, $1.kind) }
    }

    private func paramKind(of policy: JSONValue) -> GroupVersionKind? {
        guard let paramKind = policy[path: "spec", "paramKind"],
              let groupVersion = GroupVersion(apiVersion: paramKind["apiVersion"]?.stringValue ?? "")
        else { return nil }
        return GroupVersionKind(group: groupVersion.group, version: groupVersion.version, kind: paramKind["kind"]?.stringValue ?? "")
    }

    /// The entries of the list `spec.<key>`.
    private static func entries(_ policy: JSONValue, _ key: String) -> [JSONValue] {
        policy[path: "spec", key]?.arrayValue ?? []
    }

    /// The schema of a served kind, its references inlined; nil for a kind the registry does not serve.
    func schema(of kind: GroupVersionKind) -> CELSchema? {
        guard let info = registry.resources.first(where: { $0.group == kind.group && $0.version == kind.version && $0.kind == kind.kind }) else {
            return nil
        }
        let own = registry.store(for: info.groupVersionResource)?.strategy.openAPIDefinitions ?? [:]
        return BuiltinSchemas.inlined(info.definitionName) { own[$0] ?? BuiltinSchemas.definitions[$0] }.map { CELSchema($0) }
    }
}

extension GroupVersionKind {
    /// As Go prints a `GroupVersionKind`: `/v1, Kind=ConfigMap`, `apps/v1, Kind=Deployment`.
    var goDescription: String { "\(group)/\(version), Kind=\(kind)" }
}
