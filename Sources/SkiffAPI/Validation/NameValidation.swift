/// Validation of object names and other identifiers, with upstream's rules and messages.
public enum NameValidation {
    /// The rule an object kind applies to `metadata.name`.
    public enum Rule: Sendable, Hashable {
        /// Lowercase RFC 1123 subdomain (most kinds): ≤ 253 chars, `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.…)*`.
        case dns1123Subdomain
        /// Lowercase RFC 1123 label (namespaces, services): ≤ 63 chars, no dots.
        case dns1123Label
        /// RFC 1035 label (services): ≤ 63 chars, starts with a letter.
        case dns1035Label
        /// Any string that is a valid path segment (not `.`/`..`, no `/` or `%`).
        case pathSegment
    }

    /// The problems with `name` under `rule`, as upstream's messages (empty when valid).
    public static func problems(_ name: String, rule: Rule) -> [String] {
        switch rule {
        case .dns1123Subdomain: return dns1123Subdomain(name)
        case .dns1123Label: return dns1123Label(name)
        case .dns1035Label: return dns1035Label(name)
        case .pathSegment: return pathSegment(name)
        }
    }

    /// Problems of a lowercase RFC 1123 subdomain.
    public static func dns1123Subdomain(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 253 { problems.append("must be no more than 253 characters") }
        let valid = !value.isEmpty && value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel($0.utf8) }
        if !valid {
            problems.append(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            )
        }
        return problems
    }

    /// Problems of a lowercase RFC 1123 label.
    public static func dns1123Label(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 { problems.append("must be no more than 63 characters") }
        if !isLabel(value.utf8) {
            problems.append(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            )
        }
        return problems
    }

    /// Problems of an RFC 1035 label.
    public static func dns1035Label(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 { problems.append("must be no more than 63 characters") }
        if !isLabel(value.utf8) || !(value.utf8.first.map { (97...122).contains($0) } ?? false) {
            problems.append(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            )
        }
        return problems
    }

    /// Problems of a name used as a path segment.
    public static func pathSegment(_ value: String) -> [String] {
        if value == "." || value == ".." { return ["may not be '\(value)'"] }
        for forbidden in ["/", "%"] where value.contains(forbidden) { return ["may not contain '\(forbidden)'"] }
        return []
    }

    private static func isLabel(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first, let last = utf8.reversed().first else { return false }
        func alnum(_ byte: UInt8) -> Bool { (97...122).contains(byte) || (48...57).contains(byte) }
        return alnum(first) && alnum(last) && utf8.allSatisfy { alnum($0) || $0 == 45 }
    }
}
