/// The `nft -f` input that turns the table from what the last sync programmed into `desired`,
/// in one transaction (nftables applies a file atomically: all of it or none of it).
///
/// Every chain and map of `desired` is added (a no-op if it exists) and flushed, then filled:
/// packets never see a half-written table. Affinity sets are added but not flushed, so clients
/// stay with their endpoints across syncs. Chains and sets the previous sync had and `desired`
/// has not are flushed, then deleted. Without a previous sync (the proxy just started), the
/// table is deleted first, whatever an earlier process left in it.
struct NFTTransaction {
    var table: String
    /// The table's comment: whose rules these are.
    var comment = "rules for kube-proxy"
    var desired: NFTRuleset
    /// What the last successful sync programmed; nil for the first.
    var previous: NFTRuleset?

    /// The script.
    var script: String {
        var lines: [String] = []
        let table = "ip \(self.table)"
        let add = "add table \(table) { comment \"\(comment)\" ; }"
        lines.append(add)
        if previous == nil { lines += ["delete table \(table)", add] }
        for set in desired.sets {
            lines.append("add set \(table) \(set.name) { type \(set.type) ; flags dynamic,timeout ; timeout \(set.timeoutSeconds)s ; }")
        }
        for map in desired.maps {
            lines += ["add map \(table) \(map.name) { type \(map.type) ; }", "flush map \(table) \(map.name)"]
        }
        for chain in desired.chains {
            lines.append("add chain \(table) \(chain.name)" + (chain.hook.map { " { \($0) ; }" } ?? ""))
            lines.append("flush chain \(table) \(chain.name)")
        }
        for chain in desired.chains {
            lines += chain.rules.map { "add rule \(table) \(chain.name) \($0)" }
        }
        for map in desired.maps where !map.elements.isEmpty {
            lines.append("add element \(table) \(map.name) { \(map.elements.joined(separator: ", ")) }")
        }
        if let previous {
            let wanted = Set(desired.chains.map(\.name))
            let stale = previous.chains.map(\.name).filter { !wanted.contains($0) }
            lines += stale.map { "flush chain \(table) \($0)" }
            lines += stale.map { "delete chain \(table) \($0)" }
            let wantedSets = Set(desired.sets.map(\.name))
            lines += previous.sets.map(\.name).filter { !wantedSets.contains($0) }.map { "delete set \(table) \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
