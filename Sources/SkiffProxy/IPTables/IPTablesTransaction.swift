/// The `iptables-restore --noflush` input that turns the proxy's chains into `desired` in one
/// transaction per table (iptables-restore commits a table atomically). Each chain of `desired`
/// is declared (`:CHAIN - [0:0]` creates it or flushes it), then filled; chains the proxy had
/// and `desired` has not (`stale`) are declared too, so flushed, then deleted (`-X`). Rules
/// in other chains, the built-in ones included, are left alone.
struct IPTablesTransaction {
    var desired: IPTablesRuleset
    /// Per table (`filter`, `nat`), the proxy's chains to remove.
    var stale: [String: [String]]

    /// The input.
    var input: String {
        var lines: [String] = []
        for table in [desired.filter, desired.nat] {
            let stale = (stale[table.name] ?? []).filter { !table.chains.contains($0) }
            lines.append("*\(table.name)")
            lines += (table.chains + stale).map { ":\($0) - [0:0]" }
            lines += table.rules
            lines += stale.map { "-X \($0)" }
            lines.append("COMMIT")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Input that removes `chains` (per table): flushed, then deleted.
    static func removal(_ chains: [String: [String]]) -> String {
        var lines: [String] = []
        for table in ["filter", "nat"] {
            let names = chains[table] ?? []
            guard !names.isEmpty else { continue }
            lines.append("*\(table)")
            lines += names.map { ":\($0) - [0:0]" }
            lines += names.map { "-X \($0)" }
            lines.append("COMMIT")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The proxy's chains in `iptables-save` output of one table: the fixed ones and those
    /// with a per-port prefix.
    static func ownChains(inSaved text: String, fixed: [String]) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix(":"), let name = line.dropFirst().split(separator: " ").first.map(String.init) else { return nil }
            return fixed.contains(name) || IPTablesChainName.perPortPrefixes.contains(where: name.hasPrefix) ? name : nil
        }
    }
}
