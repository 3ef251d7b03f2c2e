import Foundation
import SwiftProtobuf
import SkiffStorage

/// What this store knows of the shared compaction key: the key's version when it last read or wrote it.
struct CompactionState {
    var version: Int64 = 0
}

/// Compaction coordinated between API servers as upstream's: a key (`compact_rev_key`, at the
/// root of the keyspace, since compaction is global) whose version counts compactions. A store
/// compacts only if the key's version is still the one it last saw, and bumps it in the same
/// transaction; when another server got there first the store learns the new version and skips
/// this round, so one server compacts per interval.
enum EtcdCompaction {
    static let key = "compact_rev_key"
}

extension EtcdStorage {
    public func compact(revision: Int64) async throws {
        let known = compaction.withLock { $0.version }
        let key = Data(EtcdCompaction.key.utf8)
        var compare = Etcdserverpb_Compare()
        compare.key = key
        compare.target = .version
        compare.result = .equal
        compare.targetUnion = .version(known)
        var put = Etcdserverpb_PutRequest()
        put.key = key
        put.value = Data(String(revision).utf8)
        var read = Etcdserverpb_RangeRequest()
        read.key = key
        var txn = Etcdserverpb_TxnRequest()
        txn.compare = [compare]
        txn.success = [Etcdserverpb_RequestOp.with { $0.request = .requestPut(put) }]
        txn.failure = [Etcdserverpb_RequestOp.with { $0.request = .requestRange(read) }]
        let response = try await request { try await kv.txn(txn, options: callOptions) }
        guard response.succeeded else {
            if case .responseRange(let range)? = response.responses.first?.response, let current = range.kvs.first {
                compaction.withLock { $0.version = current.version }
            }
            logger.debug("another API server compacted in this interval", metadata: ["revision": "\(revision)"])
            return
        }
        compaction.withLock { $0.version = known + 1 }
        var compact = Etcdserverpb_CompactionRequest()
        compact.revision = revision
        do {
            _ = try await request { try await kv.compact(compact, options: callOptions) }
        } catch let error as StorageError where error.code == .compacted {
            // Compacted at or beyond this revision already.
        }
    }

    /// The revision of the last compaction any API server recorded in the compaction key.
    public func compactedRevision() async throws -> Int64 {
        var range = Etcdserverpb_RangeRequest()
        range.key = Data(EtcdCompaction.key.utf8)
        let response = try await request { try await kv.range(range, options: callOptions) }
        guard let value = response.kvs.first?.value else { return 0 }
        return Int64(String(decoding: value, as: UTF8.self)) ?? 0
    }
}
