import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import SkiffStorage
import Synchronization

/// The `etcd://` backend: the storage protocol over etcd v3's gRPC API. Every write is one
/// transaction guarded by a `mod_revision` compare, so etcd's revisions are the store's revisions
/// (and the objects' resourceVersions); watches are etcd watches with `prev_kv`.
public final class EtcdStorage: Storage {
    typealias Transport = HTTP2ClientTransport.Posix

    let configuration: EtcdConfiguration
    let logger: Logger
    let kv: Etcdserverpb_KV.Client<Transport>
    let watchClient: Etcdserverpb_Watch.Client<Transport>
    let watches = EtcdWatchRegistry()
    let compaction = Mutex(CompactionState())
    private let client: GRPCClient<Transport>
    /// Runs the client's connections; owned by the store and ended by `close()`.
    private let connections: Task<Void, Never>

    /// Connects to the members `configuration` names. Connecting is lazy: an unreachable etcd
    /// shows as `unavailable` errors from the requests, not here.
    public init(configuration: EtcdConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let transport = try HTTP2ClientTransport.Posix(
            target: EtcdTransport.target(configuration.endpoints),
            transportSecurity: EtcdTransport.security(configuration.tls),
            config: EtcdTransport.config,
            serviceConfig: EtcdTransport.serviceConfig)
        let client = GRPCClient(transport: transport)
        self.client = client
        kv = Etcdserverpb_KV.Client(wrapping: client)
        watchClient = Etcdserverpb_Watch.Client(wrapping: client)
        connections = Task { [logger] in
            do { try await client.runConnections() } catch { logger.error("etcd client stopped", metadata: ["error": "\(error)"]) }
        }
    }

    /// Options for one request: the configured timeout, and failing at once (not waiting) while
    /// no member is reachable, so the API server answers 503 rather than hang.
    var callOptions: CallOptions {
        var options = EtcdTransport.callOptions
        options.timeout = configuration.requestTimeout
        return options
    }

    /// The etcd key of a store key: `/registry…` under the configured prefix.
    func etcdKey(_ key: String) -> Data {
        let root = EtcdConfiguration.registryRoot
        guard configuration.prefix != root, key.hasPrefix(root) else { return Data(key.utf8) }
        return Data((configuration.prefix + key.dropFirst(root.count)).utf8)
    }

    /// The store key of an etcd key (the configured prefix back to `/registry`).
    func storeKey(_ key: Data) -> String {
        let text = String(decoding: key, as: UTF8.self)
        guard configuration.prefix != EtcdConfiguration.registryRoot, text.hasPrefix(configuration.prefix) else { return text }
        return EtcdConfiguration.registryRoot + text.dropFirst(configuration.prefix.count)
    }

    /// A key/value read from etcd as the store's `KeyValue`.
    func keyValue(_ kv: Mvccpb_KeyValue) -> KeyValue {
        KeyValue(key: storeKey(kv.key), value: Array(kv.value), createRevision: kv.createRevision, modRevision: kv.modRevision)
    }

    /// Runs `body`, turning etcd's failures into `StorageError`s about `key`.
    func request<Result>(key: String = "", _ body: () async throws -> Result) async throws -> Result {
        do { return try await body() } catch { throw EtcdError.storageError(error, key: key) }
    }

    public func currentRevision() async throws -> Int64 {
        var range = Etcdserverpb_RangeRequest()
        range.key = Data(EtcdCompaction.key.utf8)
        range.countOnly = true
        return try await request { try await kv.range(range, options: callOptions).header.revision }
    }

    public func get(_ key: String, revision: Int64) async throws -> KeyValue? {
        var range = Etcdserverpb_RangeRequest()
        range.key = etcdKey(key)
        range.revision = revision
        return try await request(key: key) { try await kv.range(range, options: callOptions).kvs.first.map(keyValue) }
    }

    public func range(_ request: RangeRequest) async throws -> RangeResult {
        var range = Etcdserverpb_RangeRequest()
        range.key = etcdKey(request.start)
        range.rangeEnd = request.end == RangeRequest.prefixEnd("") ? etcdRangeEnd(ofPrefix: "") : etcdKey(request.end)
        range.revision = request.revision
        range.limit = Int64(request.limit)
        let response = try await self.request(key: request.start) { try await kv.range(range, options: callOptions) }
        return RangeResult(
            kvs: response.kvs.map(keyValue), more: response.more, count: Int(response.count),
            revision: request.revision > 0 ? request.revision : response.header.revision)
    }

    /// The end of the etcd range holding every key under `prefix` (etcd's `GetPrefixRangeEnd`);
    /// "\0" (every key) when the whole keyspace is meant.
    func etcdRangeEnd(ofPrefix prefix: String) -> Data {
        prefix.isEmpty ? Data([0]) : Data(RangeRequest.prefixEnd(String(decoding: etcdKey(prefix), as: UTF8.self)).utf8)
    }

    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        let response = try await transaction(key: key, ifModRevision: 0, then: put(key, value))
        guard response.succeeded else {
            throw StorageError(.keyExists, key: key, current: currentValue(in: response))
        }
        let revision = response.header.revision
        return KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64) async throws -> KeyValue {
        let response = try await transaction(key: key, ifModRevision: expectedModRevision, then: put(key, value))
        guard response.succeeded else {
            guard let current = currentValue(in: response) else { throw StorageError(.keyNotFound, key: key) }
            throw StorageError(.conflict, key: key, current: current)
        }
        let revision = response.header.revision
        let previous: Mvccpb_KeyValue? =
            if case .responsePut(let put)? = response.responses.first?.response, put.hasPrevKv { put.prevKv } else { nil }
        return KeyValue(key: key, value: value, createRevision: previous?.createRevision ?? revision, modRevision: revision)
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> DeleteResult {
        var delete = Etcdserverpb_DeleteRangeRequest()
        delete.key = etcdKey(key)
        delete.prevKv = true
        var operation = Etcdserverpb_RequestOp()
        operation.request = .requestDeleteRange(delete)
        let response = try await transaction(key: key, ifModRevision: expectedModRevision, then: operation)
        guard response.succeeded else {
            guard let current = currentValue(in: response) else { throw StorageError(.keyNotFound, key: key) }
            throw StorageError(.conflict, key: key, current: current)
        }
        guard case .responseDeleteRange(let deleted)? = response.responses.first?.response, let previous = deleted.prevKvs.first else {
            throw StorageError(.keyNotFound, key: key)
        }
        return DeleteResult(previous: keyValue(previous), revision: response.header.revision)
    }

    /// A put of `value` at `key` that returns the previous key/value.
    private func put(_ key: String, _ value: [UInt8]) -> Etcdserverpb_RequestOp {
        var put = Etcdserverpb_PutRequest()
        put.key = etcdKey(key)
        put.value = Data(value)
        put.prevKv = true
        var operation = Etcdserverpb_RequestOp()
        operation.request = .requestPut(put)
        return operation
    }

    /// One transaction: `then` if `key`'s mod_revision is `ifModRevision` (0: the key does not
    /// exist; nil: no condition), else a read of the key's current value.
    private func transaction(key: String, ifModRevision: Int64?, then operation: Etcdserverpb_RequestOp) async throws -> Etcdserverpb_TxnResponse {
        var txn = Etcdserverpb_TxnRequest()
        if let ifModRevision {
            var compare = Etcdserverpb_Compare()
            compare.key = etcdKey(key)
            compare.target = .mod
            compare.result = .equal
            compare.targetUnion = .modRevision(ifModRevision)
            txn.compare = [compare]
        }
        txn.success = [operation]
        var read = Etcdserverpb_RangeRequest()
        read.key = etcdKey(key)
        var readOperation = Etcdserverpb_RequestOp()
        readOperation.request = .requestRange(read)
        txn.failure = [readOperation]
        return try await request(key: key) { try await kv.txn(txn, options: callOptions) }
    }

    /// The key's value read by a failed transaction's `else` branch.
    private func currentValue(in response: Etcdserverpb_TxnResponse) -> KeyValue? {
        guard case .responseRange(let range)? = response.responses.first?.response else { return nil }
        return range.kvs.first.map(keyValue)
    }

    public func close() async throws {
        watches.closeAll()
        client.beginGracefulShutdown()
        connections.cancel()
        await connections.value
    }
}
