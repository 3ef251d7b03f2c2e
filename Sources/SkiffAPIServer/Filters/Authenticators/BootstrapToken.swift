/// A bootstrap token, `ID.SECRET` (`abcdef.0123456789abcdef`: six and sixteen characters of
/// `[a-z0-9]`), and the rules for the `kube-system` Secret that holds it (upstream's
/// `k8s.io/cluster-bootstrap/token`).
struct BootstrapToken: Sendable, Hashable {
    static let secretType = "bootstrap.kubernetes.io/token"
    static let secretPrefix = "bootstrap-token-"
    static let group = "system:bootstrappers"
    static let userPrefix = "system:bootstrap:"

    let id: String
    let secret: String

    /// The token of `text`; nil when it is not in the bootstrap format.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 6, parts[1].count == 16,
            parts.allSatisfy({ $0.allSatisfy(Self.isTokenCharacter) })
        else { return nil }
        id = String(parts[0])
        secret = String(parts[1])
    }

    /// The name of the Secret holding the token.
    var secretName: String { Self.secretPrefix + id }

    /// The user the token authenticates as.
    var userName: String { Self.userPrefix + id }

    /// Whether `group` may be an extra group (`system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]`).
    static func isValidExtraGroup(_ group: String) -> Bool {
        guard group.hasPrefix(Self.group + ":") else { return false }
        let rest = group.dropFirst(Self.group.count + 1)
        guard let last = rest.last, rest.count <= 256, isTokenCharacter(last) else { return false }
        return rest.allSatisfy { isTokenCharacter($0) || $0 == ":" || $0 == "-" }
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLowercase || character.isNumber)
    }
}
