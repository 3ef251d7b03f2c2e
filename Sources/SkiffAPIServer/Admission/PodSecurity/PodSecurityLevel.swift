import SkiffAPI

/// A Pod Security Standard and the Kubernetes version of its checks (`restricted:latest`,
/// `baseline:v1.30`), as a namespace's `pod-security.kubernetes.io/<mode>[-version]` labels give it.
struct PodSecurityLevel: Hashable {
    enum Standard: String {
        case privileged, baseline, restricted
    }

    var standard: Standard
    /// The minor version of v1 whose checks apply; nil for `latest`.
    var minor: Int?

    static let labelPrefix = "pod-security.kubernetes.io/"

    /// The level of a mode (`enforce`, `audit`, `warn`) from namespace labels: `privileged:latest`
    /// when unset; an unknown standard counts as `restricted` and an unparsable version as
    /// `latest`, as upstream fails closed.
    init(labels: [String: String], mode: String) {
        let level = labels[Self.labelPrefix + mode]
        standard = level.map { Standard(rawValue: $0) ?? .restricted } ?? .privileged
        minor = labels[Self.labelPrefix + mode + "-version"].flatMap(Self.minor(of:))
    }

    /// `v1.30` as 30; nil for `latest` and anything unparsable.
    private static func minor(of version: String) -> Int? {
        guard version.hasPrefix("v1.") else { return nil }
        return Int(version.dropFirst(3))
    }

    /// Whether a check introduced in v1.`minimum` applies at this level's version.
    func includes(since minimum: Int) -> Bool { minor.map { $0 >= minimum } ?? true }

    /// `restricted:latest`, `baseline:v1.30`.
    var description: String { "\(standard.rawValue):\(minor.map { "v1.\($0)" } ?? "latest")" }
}
