/// Kubernetes' order of API versions (upstream's kube-aware version comparison): GA before beta
/// before alpha, higher numbers first within each (`v2`, `v1`, `v1beta2`, `v1beta1`, `v1alpha1`);
/// versions that do not look like Kubernetes versions come last, by name. Discovery lists versions
/// in this order and the first is the group's preferred version.
public enum APIVersionPriority {
    /// Whether `a` comes before `b`.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        switch (rank(a), rank(b)) {
        case let (rankA?, rankB?): return rankA > rankB
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }

    /// (stability, major, minor) of `v<major>[alpha|beta<minor>]`; nil for anything else.
    private static func rank(_ version: String) -> (Int, Int, Int)? {
        guard version.hasPrefix("v") else { return nil }
        let body = version.dropFirst()
        let majorDigits = body.prefix { $0.isASCII && $0.isNumber }
        guard let major = Int(majorDigits), major > 0 else { return nil }
        let rest = body.dropFirst(majorDigits.count)
        if rest.isEmpty { return (3, major, 0) }
        for (stability, label) in [(2, "beta"), (1, "alpha")] where rest.hasPrefix(label) {
            let minorDigits = rest.dropFirst(label.count)
            guard !minorDigits.isEmpty, minorDigits.allSatisfy({ $0.isASCII && $0.isNumber }), let minor = Int(minorDigits), minor > 0
            else { return nil }
            return (stability, major, minor)
        }
        return nil
    }
}
