import Logging

/// Writes rulesets and remembers what the table holds, so that each transaction removes
/// exactly the chains and sets the previous one made and the new one does not want.
actor Syncer {
    private let configuration: ProxyConfiguration
    private let writer: any RulesetWriter
    private let logger: Logger
    /// What the table holds; nil before the first write, after a failed one and after removal.
    private var programmed: NFTRuleset?

    init(configuration: ProxyConfiguration, writer: any RulesetWriter, logger: Logger) {
        self.configuration = configuration
        self.writer = writer
        self.logger = logger
    }

    /// Programs `ports`; false if the write failed (the next sync then starts from an empty table).
    func sync(_ ports: [ProxiedServicePort]) async -> Bool {
        let desired = RulesetBuilder(configuration: configuration).build(ports)
        let transaction = NFTTransaction(table: configuration.tableName, desired: desired, previous: programmed)
        do {
            try await writer.apply(transaction.script)
            programmed = desired
            logger.debug("programmed the service rules", metadata: ["servicePorts": "\(ports.count)", "chains": "\(desired.chains.count)"])
            return true
        } catch {
            programmed = nil
            logger.error("cannot program the service rules", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Deletes the table (on stop).
    func removeTable() async {
        let table = "ip \(configuration.tableName)"
        do {
            try await writer.apply("add table \(table)\ndelete table \(table)\n")
            programmed = nil
        } catch {
            logger.warning("cannot remove the service rules", metadata: ["error": "\(error)"])
        }
    }
}
