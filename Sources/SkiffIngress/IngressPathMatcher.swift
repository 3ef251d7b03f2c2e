/// Matches requests against an Ingress rule's host and paths, as the Ingress API defines it.
///
/// Paths: `Exact` matches the request path exactly (case-sensitive); `Prefix` matches element
/// by element, split on `/` (`/foo/bar` matches `/foo/bar` and `/foo/bar/baz`, not
/// `/foo/barbaz`; a trailing `/` on either side is ignored; `/` matches every path);
/// `ImplementationSpecific` is matched as `Prefix`.
///
/// Hosts: an exact host matches case-insensitively; `*.foo.com` matches exactly one label in
/// place of the `*` (`bar.foo.com`, not `foo.com` nor `baz.bar.foo.com`); a rule without a host
/// matches every request.
public enum IngressPathMatcher {
    /// How specifically a rule's host matched: a request prefers the most specific.
    public enum HostMatch: Int, Comparable, Sendable {
        case any = 0, wildcard, exact

        public static func < (lhs: HostMatch, rhs: HostMatch) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Whether a path of type `pathType` (`Exact`, `Prefix`, `ImplementationSpecific`) matches `requestPath`.
    public static func matches(pathType: String, path: String?, requestPath: String) -> Bool {
        let path = (path ?? "").isEmpty ? "/" : path ?? "/"
        if pathType == "Exact" { return path == requestPath }
        let prefix = elements(path)
        let request = elements(requestPath)
        return request.count >= prefix.count && zip(prefix, request).allSatisfy { $0 == $1 }
    }

    /// How `ruleHost` (nil or empty: any host) matches `requestHost` (without its port); nil if it does not.
    public static func match(ruleHost: String?, requestHost: String) -> HostMatch? {
        guard let ruleHost, !ruleHost.isEmpty else { return .any }
        let host = requestHost.lowercased()
        let rule = ruleHost.lowercased()
        if rule.hasPrefix("*.") {
            let suffix = rule.dropFirst(1)
            guard host.hasSuffix(suffix) else { return nil }
            let label = host.dropLast(suffix.count)
            return !label.isEmpty && !label.contains(".") ? .wildcard : nil
        }
        return rule == host ? .exact : nil
    }

    /// The host of a `Host` header value: without the port, lowercased (`[::1]:80` → `[::1]`).
    public static func host(ofHeader value: String) -> String {
        let value = value.lowercased()
        if value.hasPrefix("[") { return value.split(separator: "]", maxSplits: 1).first.map { $0 + "]" } ?? value }
        return value.split(separator: ":", maxSplits: 1).first.map(String.init) ?? value
    }

    private static func elements(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
