/// The contents of the proxy's nftables table, as data: what one sync wants programmed.
/// `NFTTransaction` turns it into `nft -f` input.
struct NFTRuleset: Sendable, Equatable {
    /// A chain, with its hook if it is a base chain, and its rules in order.
    struct Chain: Sendable, Equatable {
        var name: String
        /// `type nat hook output priority -100` for a base chain; nil for a regular one.
        var hook: String?
        var rules: [String]
    }

    /// A verdict map (`key : goto chain`).
    struct Map: Sendable, Equatable {
        var name: String
        /// `ipv4_addr . inet_proto . inet_service : verdict`.
        var type: String
        var elements: [String]
    }

    /// A set the rules fill as traffic passes (session affinity): kept across syncs.
    struct DynamicSet: Sendable, Equatable {
        var name: String
        var type: String
        var timeoutSeconds: Int32
    }

    var chains: [Chain] = []
    var maps: [Map] = []
    var sets: [DynamicSet] = []

    /// The chain named `name`, if the ruleset has it.
    func chain(_ name: String) -> Chain? { chains.first { $0.name == name } }
}
