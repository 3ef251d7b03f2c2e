import SkiffAPI

/// Which objects a scoped ResourceQuota applies to (upstream's `spec.scopes` and
/// `spec.scopeSelector`): only pods carry scopes (`Terminating`, `NotTerminating`, `BestEffort`,
/// `NotBestEffort`, `PriorityClass`); a scoped quota never applies to other objects.
public enum QuotaScopes {
    /// Whether the quota's scopes select the object.
    public static func select(_ object: JSONValue, resource: GroupResource, quota: JSONValue) -> Bool {
        var requirements: [(scope: String, comparison: String, values: [String])] = []
        for scope in quota[path: "spec", "scopes"]?.arrayValue ?? [] {
            requirements.append((scope.stringValue ?? "", "Exists", []))
        }
        for expression in quota[path: "spec", "scopeSelector", "matchExpressions"]?.arrayValue ?? [] {
            requirements.append((expression["scopeName"]?.stringValue ?? "", expression["operator"]?.stringValue ?? "",
                                 expression["values"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
        if requirements.isEmpty { return true }
        guard resource == QuotaEvaluator.pods else { return false }
        return requirements.allSatisfy { matches(object, scope: $0.scope, comparison: $0.comparison, values: $0.values) }
    }

    private static func matches(_ pod: JSONValue, scope: String, comparison: String, values: [String]) -> Bool {
        let spec = pod["spec"]
        let terminating = (spec?["activeDeadlineSeconds"]?.intValue).map { $0 >= 0 } ?? false
        switch scope {
        case "Terminating": return terminating
        case "NotTerminating": return !terminating
        case "BestEffort": return isBestEffort(pod)
        case "NotBestEffort": return !isBestEffort(pod)
        case "PriorityClass":
            let priorityClass = spec?["priorityClassName"]?.stringValue ?? ""
            switch comparison {
            case "In": return values.contains(priorityClass)
            case "NotIn": return !values.contains(priorityClass)
            case "Exists": return !priorityClass.isEmpty
            case "DoesNotExist": return priorityClass.isEmpty
            default: return false
            }
        default: return false
        }
    }

    /// Whether no container requests or limits cpu or memory (the `BestEffort` QoS class).
    static func isBestEffort(_ pod: JSONValue) -> Bool {
        let containers = pod.elements("spec", "containers") + pod.elements("spec", "initContainers")
        return containers.allSatisfy { container in
            ["requests", "limits"].allSatisfy { kind in
                ["cpu", "memory"].allSatisfy { ResourceQuantity(container[path: "resources", kind, $0])?.isPositive != true }
            }
        }
    }
}
