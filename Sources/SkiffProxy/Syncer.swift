import Logging

/// Writes rulesets into one nftables table and remembers what the table holds, so that each
/// transaction removes exactly the chains and sets the previous one made and the new one does not want.
actor Syncer: TableProgrammer {
    private let table: String
    private let comment: String
    private let writer: any RulesetWriter
    private let logger: Logger
    /// What the table holds; nil before the first write, after a failed one and after removal.
    private var programmed: NFTRuleset?

    /// A syncer of the `ip` table `table`, commented `comment`.
    init(table: String, comment: String, writer: any RulesetWriter, logger: Logger) {
        self.table = table
        self.comment = comment
        self.writer = writer
        self.logger = logger
    }

    /// Programs `desired`; false if the write failed (the next sync then starts from an empty table).
    func sync(_ desired: NFTRuleset) async -> Bool {
        let transaction = NFTTransaction(table: table, comment: comment, desired: desired, previous: programmed)
        do {
            try await writer.apply(transaction.script)
            programmed = desired
            logger.debug("programmed the rules", metadata: ["table": "\(table)", "chains": "\(desired.chains.count)"])
            return true
        } catch {
            programmed = nil
            logger.error("cannot program the rules", metadata: ["table": "\(table)", "error": "\(error)"])
            return false
        }
    }

    /// Deletes the table (on stop).
    func removeTable() async {
        let table = "ip \(self.table)"
        do {
            try await writer.apply("add table \(table)\ndelete table \(table)\n")
            programmed = nil
        } catch {
            logger.warning("cannot remove the rules", metadata: ["table": "\(table)", "error": "\(error)"])
        }
    }
}
