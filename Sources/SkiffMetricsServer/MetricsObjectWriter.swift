import SkiffAPI
import SkiffStorage

/// Keeps the served metrics objects in the server's own storage: after each scrape round the
/// objects of that round are written (created or replaced), those no longer reported deleted,
/// and the history before the previous round compacted away (nobody reads metrics' past).
struct MetricsObjectWriter {
    let storage: any Storage
    /// The revision each key was last written at.
    private var written: [String: Int64] = [:]
    private var previousRound: Int64?

    init(storage: any Storage) {
        self.storage = storage
    }

    /// Makes `objects` (by storage key) the stored ones.
    mutating func write(_ objects: [String: JSONValue]) async throws {
        for (key, object) in objects.sorted(by: { $0.key < $1.key }) {
            written[key] = try await put(key, object.serialized())
        }
        for (key, revision) in written where objects[key] == nil {
            _ = try? await storage.delete(key, expectedModRevision: revision)
            written[key] = nil
        }
        if let previousRound { try await storage.compact(revision: previousRound) }
        previousRound = try await storage.currentRevision()
    }

    /// Writes one object; after a conflict (someone replaced it through the API) over the
    /// stored revision.
    private func put(_ key: String, _ value: [UInt8]) async throws -> Int64 {
        if let revision = written[key], let updated = try? await storage.update(key, value: value, expectedModRevision: revision) {
            return updated.modRevision
        }
        if let stored = try await storage.get(key, revision: 0) {
            return try await storage.update(key, value: value, expectedModRevision: stored.modRevision).modRevision
        }
        return try await storage.create(key, value: value).modRevision
    }
}
