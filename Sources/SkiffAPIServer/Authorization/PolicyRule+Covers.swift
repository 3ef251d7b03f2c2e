/// Whether one set of rules grants everything another does (upstream's `validation.Covers`), for
/// escalation prevention: a user may grant only what they hold.
extension PolicyRule {
    /// The rules of `servant` that `owner` does not cover, each broken down to one verb, group,
    /// resource and name (or one verb and URL); empty when `owner` covers them all.
    public static func uncovered(_ servant: [PolicyRule], by owner: [PolicyRule]) -> [PolicyRule] {
        var missing: [PolicyRule] = []
        for rule in servant.flatMap(\.brokenDown) where !owner.contains(where: { $0.covers(rule) }) && !missing.contains(rule) {
            missing.append(rule)
        }
        return missing
    }

    /// The rule as single-valued rules.
    var brokenDown: [PolicyRule] {
        var rules: [PolicyRule] = []
        for verb in verbs {
            for url in nonResourceURLs { rules.append(.urls([verb], [url])) }
            for group in apiGroups {
                for resource in resources {
                    if resourceNames.isEmpty {
                        rules.append(.resources([verb], groups: [group], [resource]))
                    } else {
                        for name in resourceNames { rules.append(.resources([verb], groups: [group], [resource], names: [name])) }
                    }
                }
            }
        }
        return rules
    }

    /// Whether this rule grants all of `rule`, a single-valued one.
    func covers(_ rule: PolicyRule) -> Bool {
        guard rule.verbs.allSatisfy({ verbs.contains("*") || verbs.contains($0) }) else { return false }
        guard rule.nonResourceURLs.allSatisfy({ url in nonResourceURLs.contains { Self.url($0, covers: url) } }) else { return false }
        guard rule.apiGroups.allSatisfy({ apiGroups.contains("*") || apiGroups.contains($0) }) else { return false }
        let resourcesCovered = rule.resources.allSatisfy { wanted in
            resources.contains { held in
                if held == "*" || held == wanted { return true }
                // `*/status` covers `pods/status`; `pods/*` covers `pods/log`.
                let parts = wanted.split(separator: "/", maxSplits: 1)
                guard parts.count == 2 else { return false }
                return held == "*/" + parts[1] || held == parts[0] + "/*"
            }
        }
        guard resourcesCovered else { return false }
        // Names held cover only requests for those names, never the whole resource.
        return resourceNames.isEmpty || (!rule.resourceNames.isEmpty && rule.resourceNames.allSatisfy(resourceNames.contains))
    }
}
