import Logging
import ServiceLifecycle

/// Compacts a store's history periodically, as upstream's API server does: at every tick it
/// compacts to the revision it saw one interval earlier, so history always covers at least one
/// interval. A `Service`: graceful shutdown stops it as cancellation does.
public struct Compactor: Service {
    let storage: any Storage
    let interval: Duration
    let logger: Logger

    public init(storage: any Storage, interval: Duration, logger: Logger) {
        self.storage = storage
        self.interval = interval
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await compactPeriodically() }
        } catch is CancellationError {
            // Shut down.
        }
    }

    private func compactPeriodically() async throws {
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
