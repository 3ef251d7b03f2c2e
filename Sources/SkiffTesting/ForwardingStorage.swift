import SkiffStorage

/// A storage that passes every call on to `base`: a test store implements only the calls it
/// observes or changes (the others come from this extension).
public protocol ForwardingStorage: Storage {
    var base: any Storage { get }
}

extension ForwardingStorage {
    public func currentRevision() async throws -> Int64 { try await base.currentRevision() }
    public func compactedRevision() async throws -> Int64 { try await base.compactedRevision() }
    public func get(_ key: String, revision: Int64) async throws -> KeyValue? { try await base.get(key, revision: revision) }
    public func range(_ request: RangeRequest) async throws -> RangeResult { try await base.range(request) }
    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue { try await base.create(key, value: value) }
    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64) async throws -> KeyValue {
        try await base.update(key, value: value, expectedModRevision: expectedModRevision)
    }
    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> DeleteResult {
        try await base.delete(key, expectedModRevision: expectedModRevision)
    }
    public func watch(prefix: String, startRevision: Int64) -> WatchStream { base.watch(prefix: prefix, startRevision: startRevision) }
    public func requestWatchProgress() async { await base.requestWatchProgress() }
    public func compact(revision: Int64) async throws { try await base.compact(revision: revision) }
    public func close() async throws { try await base.close() }
}
