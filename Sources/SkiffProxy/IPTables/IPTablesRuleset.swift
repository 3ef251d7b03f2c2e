/// The proxy's chains in iptables mode, as data: what one sync wants in the `filter` and `nat`
/// tables. `IPTablesTransaction` turns it into `iptables-restore` input.
struct IPTablesRuleset: Sendable, Equatable {
    /// One table's chains (in the order they are declared) and rules (`-A CHAIN …`, in order).
    struct Table: Sendable, Equatable {
        var name: String
        var chains: [String]
        var rules: [String]
    }

    /// A rule in a built-in chain that leads into the proxy's chains (`PREROUTING` → `KUBE-SERVICES`).
    /// Kept apart: built-in chains are not the proxy's to flush, so these are checked and inserted one by one.
    struct Jump: Sendable, Equatable {
        var table: String
        var chain: String
        /// The rule's match and target, as `iptables` arguments.
        var rule: [String]
    }

    var filter: Table
    var nat: Table

    /// The jumps upstream's kube-proxy installs: new connections to the service and external
    /// checks of the filter table, every packet to `KUBE-SERVICES` and `KUBE-POSTROUTING` of the nat table.
    static let jumps: [Jump] = {
        let new = ["-m", "conntrack", "--ctstate", "NEW"]
        let services = ["-m", "comment", "--comment", "kubernetes service portals", "-j", "KUBE-SERVICES"]
        let external = ["-m", "comment", "--comment", "kubernetes externally-visible service portals", "-j", "KUBE-EXTERNAL-SERVICES"]
        return [
            Jump(table: "filter", chain: "INPUT", rule: new + external),
            Jump(table: "filter", chain: "FORWARD", rule: new + services),
            Jump(table: "filter", chain: "FORWARD", rule: new + external),
            Jump(table: "filter", chain: "OUTPUT", rule: new + services),
            Jump(table: "filter", chain: "OUTPUT", rule: new + external),
            Jump(table: "nat", chain: "PREROUTING", rule: services),
            Jump(table: "nat", chain: "OUTPUT", rule: services),
            Jump(table: "nat", chain: "POSTROUTING", rule: ["-m", "comment", "--comment", "kubernetes postrouting rules", "-j", "KUBE-POSTROUTING"]),
        ]
    }()
}
