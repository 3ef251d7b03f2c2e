/// A domain name as a list of labels (RFC 1035 §3.1), without the root. Comparisons and hashing
/// ignore ASCII case, as DNS does; `description` keeps the case it was given, with the final dot.
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    /// The labels, most specific first (`web`, `demo`, `svc`, …).
    public let labels: [String]

    /// The root name `.`.
    public static let root = DNSName(labels: [])

    /// The longest label and name RFC 1035 allows (in wire bytes, with length octets and the root).
    public static let maxLabelLength = 63
    public static let maxLength = 255

    /// A name of `labels`; the caller keeps them within the limits.
    public init(labels: [String]) {
        self.labels = labels
    }

    /// Parses `web.demo.svc.cluster.local` (a final dot is optional); nil if a label is empty or
    /// too long, or the name is too long.
    public init?(_ text: String) {
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        let labels = trimmed.isEmpty ? [] : trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= Self.maxLabelLength }) else { return nil }
        self.init(labels: labels)
        guard wireLength <= Self.maxLength else { return nil }
    }

    /// The bytes the name takes uncompressed on the wire.
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.utf8.count } }

    /// `web.demo.svc.cluster.local.`
    public var description: String { labels.isEmpty ? "." : labels.joined(separator: ".") + "." }

    /// The name in lower case: the key names are compared by.
    public var key: String { description.lowercased() }

    /// Whether the name ends with `suffix` (or is it).
    public func isSubdomain(of suffix: DNSName) -> Bool {
        guard suffix.labels.count <= labels.count else { return false }
        return zip(labels.suffix(suffix.labels.count), suffix.labels).allSatisfy { $0.lowercased() == $1.lowercased() }
    }

    /// The labels in front of `suffix`, lowercased; nil if the name is not under `suffix`.
    public func labels(under suffix: DNSName) -> [String]? {
        guard isSubdomain(of: suffix) else { return nil }
        return labels.dropLast(suffix.labels.count).map { $0.lowercased() }
    }

    /// `label` prepended.
    public func prepending(_ label: String) -> DNSName { DNSName(labels: [label] + labels) }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool { lhs.key == rhs.key }

    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}
