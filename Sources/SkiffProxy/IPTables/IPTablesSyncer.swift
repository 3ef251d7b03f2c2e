import Logging

/// Programs the proxy's iptables chains and remembers which it made, so that each transaction
/// removes exactly the chains the previous one made and the new one does not want. The first
/// sync of a process also removes what a predecessor left (the proxy's chains found by
/// `iptables-save`). After the chains, the jumps from the built-in chains are checked and
/// inserted where missing, as upstream does at each sync.
actor IPTablesSyncer: TableProgrammer {
    private let writer: any IPTablesWriter
    private let logger: Logger
    /// The chains programmed, per table; nil before the first write, after a failed one and after removal.
    private var programmed: [String: [String]]?

    init(writer: any IPTablesWriter, logger: Logger) {
        self.writer = writer
        self.logger = logger
    }

    func sync(_ desired: IPTablesRuleset) async -> Bool {
        do {
            let stale = try await programmedOrFound()
            try await writer.restore(IPTablesTransaction(desired: desired, stale: stale).input)
            programmed = [desired.filter.name: desired.filter.chains, desired.nat.name: desired.nat.chains]
            for jump in IPTablesRuleset.jumps {
                guard try await !writer.run(["-t", jump.table, "-C", jump.chain] + jump.rule) else { continue }
                guard try await writer.run(["-t", jump.table, "-I", jump.chain] + jump.rule) else {
                    throw IPTablesCommand.Failure(tool: "iptables", status: 1, output: "cannot insert the jump from \(jump.table) \(jump.chain)")
                }
            }
            logger.debug("programmed the rules", metadata: ["mode": "iptables", "chains": "\(desired.nat.chains.count)"])
            return true
        } catch {
            programmed = nil
            logger.error("cannot program the rules", metadata: ["mode": "iptables", "error": "\(error)"])
            return false
        }
    }

    /// Deletes the jumps, then the chains (on stop).
    func removeTable() async {
        do {
            for jump in IPTablesRuleset.jumps {
                while try await writer.run(["-t", jump.table, "-D", jump.chain] + jump.rule) {}
            }
            let chains = try await programmedOrFound()
            try await writer.restore(IPTablesTransaction.removal(chains))
            programmed = nil
        } catch {
            logger.warning("cannot remove the rules", metadata: ["mode": "iptables", "error": "\(error)"])
        }
    }

    /// The chains this process programmed, or (before its first sync) those of the proxy that the tables hold.
    private func programmedOrFound() async throws -> [String: [String]] {
        if let programmed { return programmed }
        return [
            "filter": IPTablesTransaction.ownChains(inSaved: try await writer.save(table: "filter"), fixed: IPTablesRulesetBuilder.filterChains),
            "nat": IPTablesTransaction.ownChains(inSaved: try await writer.save(table: "nat"), fixed: IPTablesRulesetBuilder.natChains),
        ]
    }
}
