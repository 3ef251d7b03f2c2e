import Metrics
import SkiffStorage

/// A resource's view of the storage that times every object call under upstream's
/// `etcd_request_duration_seconds` (operation: get, list, create, update, delete; type: the
/// group/resource, as `pods` or `deployments.apps`), whatever the backend (memory, SQLite, etcd).
/// Revision queries, watches and compaction pass through untimed.
struct MeasuredStorage: Storage {
    let base: any Storage
    let type: String
    let factory: any MetricsFactory

    func currentRevision() async throws -> Int64 { try await base.currentRevision() }
    func compactedRevision() async throws -> Int64 { try await base.compactedRevision() }

    func get(_ key: String, revision: Int64) async throws -> KeyValue? {
        try await timed("get") { try await base.get(key, revision: revision) }
    }

    func range(_ request: RangeRequest) async throws -> RangeResult {
        try await timed("list") { try await base.range(request) }
    }

    func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try await timed("create") { try await base.create(key, value: value) }
    }

    func update(_ key: String, value: [UInt8], expectedModRevision: Int64) async throws -> KeyValue {
        try await timed("update") { try await base.update(key, value: value, expectedModRevision: expectedModRevision) }
    }

    func delete(_ key: String, expectedModRevision: Int64?) async throws -> DeleteResult {
        try await timed("delete") { try await base.delete(key, expectedModRevision: expectedModRevision) }
    }

    func watch(prefix: String, startRevision: Int64) -> WatchStream { base.watch(prefix: prefix, startRevision: startRevision) }
    func requestWatchProgress() async { await base.requestWatchProgress() }
    func compact(revision: Int64) async throws { try await base.compact(revision: revision) }
    func close() async throws { try await base.close() }

    /// Runs `call` and records its duration, failed or not (as upstream).
    private func timed<T>(_ operation: String, _ call: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer {
            Timer(label: "etcd_request_duration_seconds", dimensions: [("operation", operation), ("type", type)], factory: factory)
                .record(duration: ContinuousClock.now - start)
        }
        return try await call()
    }
}
