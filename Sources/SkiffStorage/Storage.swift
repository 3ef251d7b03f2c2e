/// A revisioned key/value store with etcd v3 semantics: the storage under the API server.
///
/// - One global, strictly increasing revision per store; every successful write (create, update,
///   delete) takes the next revision and stamps the key's `modRevision` with it.
/// - Writes return only once durable (for backends that persist); concurrent writes may be
///   committed together (group commit).
/// - History older than the compacted revision is gone: reads and watches at such a revision
///   throw `StorageError.compacted`.
public protocol Storage: Sendable {
    /// The latest committed revision.
    func currentRevision() async throws -> Int64

    /// The revision up to which history has been compacted (0 when nothing was compacted).
    func compactedRevision() async throws -> Int64

    /// Reads one key at `revision` (0 = latest). Returns `nil` when the key does not exist at that revision.
    func get(_ key: String, revision: Int64) async throws -> KeyValue?

    /// Reads keys in order, at a revision, with a limit; see `RangeRequest`.
    func range(_ request: RangeRequest) async throws -> RangeResult

    /// Creates `key`; throws `StorageError.keyExists` (carrying the current value) when it exists.
    func create(_ key: String, value: [UInt8]) async throws -> KeyValue

    /// Replaces `key` if its `modRevision` equals `expectedModRevision` (compare-and-swap).
    /// Throws `.keyNotFound` when it does not exist, `.conflict` (carrying the current value) otherwise.
    func update(_ key: String, value: [UInt8], expectedModRevision: Int64) async throws -> KeyValue

    /// Deletes `key`, if `expectedModRevision` is given only when its `modRevision` matches.
    /// Returns the deleted value and the revision of the deletion.
    func delete(_ key: String, expectedModRevision: Int64?) async throws -> DeleteResult

    /// Watches keys under `prefix` from `startRevision` (inclusive, as etcd): first the history
    /// after that revision, then live events, in revision order, each event exactly once.
    /// `startRevision` 0 means "from the next write". Throws `.compacted` (first element) when
    /// `startRevision` is at or below the compacted revision. The stream ends with an error when the
    /// consumer falls too far behind (`.watchOverflow`); the consumer re-watches from its last revision.
    /// Each element is one commit's events for this prefix (never empty, except progress batches).
    func watch(prefix: String, startRevision: Int64) -> WatchStream

    /// Asks every open watch for a progress notification (etcd's `RequestProgress`): each watch
    /// receives, after every event up to the store's current revision, a `WatchBatch` with no
    /// events whose `revision` is that current revision. Caches use it to prove they are up to
    /// date with a revision produced by writes under other prefixes.
    func requestWatchProgress() async

    /// Discards history at and below `revision` (the latest value of every live key is kept).
    func compact(revision: Int64) async throws

    /// Stops the store: pending writes finish, watches end, files are closed.
    func close() async throws
}

/// A stored key and value with its revisions (etcd's `mvccpb.KeyValue`).
public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: [UInt8]
    /// The revision of the write that created the key (its current incarnation).
    public var createRevision: Int64
    /// The revision of the last write to the key: the object's `resourceVersion`.
    public var modRevision: Int64

    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

/// A read of the keys `[start, end)` in byte order.
public struct RangeRequest: Sendable, Hashable {
    /// The first key (inclusive).
    public var start: String
    /// The end key (exclusive).
    public var end: String
    /// The revision to read at; 0 = latest.
    public var revision: Int64
    /// The maximum number of keys to return; 0 = no limit.
    public var limit: Int

    public init(start: String, end: String, revision: Int64 = 0, limit: Int = 0) {
        self.start = start
        self.end = end
        self.revision = revision
        self.limit = limit
    }

    /// All keys starting with `prefix`.
    public init(prefix: String, revision: Int64 = 0, limit: Int = 0) {
        self.init(start: prefix, end: Self.prefixEnd(prefix), revision: revision, limit: limit)
    }

    /// The smallest key greater than every key with this prefix (etcd's `GetPrefixRangeEnd`).
    public static func prefixEnd(_ prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return String(decoding: bytes, as: UTF8.self)
            }
            bytes.removeLast()
        }
        return "\u{10FFFF}"
    }
}

/// The answer to a `RangeRequest`.
public struct RangeResult: Sendable, Hashable {
    /// The keys read, in key order.
    public var kvs: [KeyValue]
    /// Whether more keys exist in the range after the last returned one.
    public var more: Bool
    /// The number of keys in the whole range at that revision (returned or not).
    public var count: Int
    /// The revision the range was read at (the store's current revision when 0 was asked).
    public var revision: Int64

    public init(kvs: [KeyValue], more: Bool, count: Int, revision: Int64) {
        self.kvs = kvs
        self.more = more
        self.count = count
        self.revision = revision
    }
}

/// The outcome of a delete.
public struct DeleteResult: Sendable, Hashable {
    /// The value the key had before the delete.
    public var previous: KeyValue
    /// The revision of the delete.
    public var revision: Int64

    public init(previous: KeyValue, revision: Int64) {
        self.previous = previous
        self.revision = revision
    }
}

/// One change of a key seen by a storage watch (etcd's `mvccpb.Event`): a put or a delete of a
/// key/value. The API's watch event (`WatchEvent`, in SkiffAPI) is built from these by the registry.
public struct KeyValueEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case put
        case delete
    }

    public var kind: Kind
    /// For a put, the new value; for a delete, the key with `modRevision` = the delete's revision
    /// and the value it had before the delete.
    public var kv: KeyValue
    /// The value before this event, if the key existed.
    public var previous: KeyValue?

    public init(kind: Kind, kv: KeyValue, previous: KeyValue?) {
        self.kind = kind
        self.kv = kv
        self.previous = previous
    }

    /// The revision of the event.
    public var revision: Int64 { kv.modRevision }
}

/// Events for one watch from one commit, or a progress notification (no events).
public struct WatchBatch: Sendable, Hashable {
    /// The events, in revision order.
    public var events: [KeyValueEvent]
    /// Every event at or below this revision has been delivered to this watch: the revision of
    /// the last event, or for a progress notification the store's revision when it was sent.
    public var revision: Int64

    public init(events: [KeyValueEvent], revision: Int64) {
        self.events = events
        self.revision = revision
    }
}

/// A stream of watch batches in revision order.
public typealias WatchStream = AsyncThrowingStream<WatchBatch, any Error>

/// A storage failure. The API layer maps these to `Status` errors.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case keyExists
        case keyNotFound
        case conflict
        /// The revision asked for has been compacted.
        case compacted
        /// The revision asked for is newer than the store's.
        case futureRevision
        /// A watcher fell too far behind and was dropped.
        case watchOverflow
        /// The store is closed or failed; the message says why.
        case unavailable
    }

    public var code: Code
    public var key: String
    /// The current value of the key, for `keyExists` and `conflict`.
    public var current: KeyValue?
    public var message: String

    public init(_ code: Code, key: String = "", current: KeyValue? = nil, message: String = "") {
        self.code = code
        self.key = key
        self.current = current
        self.message = message
    }

    public var description: String { "storage error \(code) for \(key.isEmpty ? "-" : key): \(message)" }
}
