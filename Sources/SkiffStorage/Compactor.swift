import Logging

/// Compacts a store's history periodically, as upstream's API server does: at every tick it
/// compacts to the revision it saw one interval earlier, so history always covers at least one
/// interval.
public struct Compactor: Sendable {
    let storage: any Storage
    let interval: Duration
    let logger: Logger

    public init(storage: any Storage, interval: Duration, logger: Logger) {
        self.storage = storage
        self.interval = interval
        self.logger = logger
    }

    /// Runs until cancelled.
    public func run() async throws {
        var previous: Int64 = 0
        while true {
            try await Task.sleep(for: interval)
            if previous > 0 {
                do {
                    try await storage.compact(revision: previous)
                    logger.debug("compacted storage history", metadata: ["revision": "\(previous)"])
                } catch {
                    logger.warning("compaction failed", metadata: ["error": "\(error)"])
                }
            }
            previous = try await storage.currentRevision()
        }
    }
}
