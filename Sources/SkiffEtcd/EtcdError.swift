import GRPCCore
import SkiffStorage

/// Turns etcd's gRPC failures into the storage protocol's errors.
enum EtcdError {
    /// etcd's `ErrCompacted` message (`mvcc: required revision has been compacted`).
    static let compactedMessage = "required revision has been compacted"
    /// etcd's `ErrFutureRev` message (`mvcc: required revision is a future revision`).
    static let futureRevisionMessage = "required revision is a future revision"

    /// The storage error for `error`, thrown by a request about `key`.
    static func storageError(_ error: any Error, key: String = "") -> StorageError {
        if let error = error as? StorageError { return error }
        if let rpc = error as? RPCError {
            if rpc.message.contains(compactedMessage) { return StorageError(.compacted, key: key, message: rpc.message) }
            if rpc.message.contains(futureRevisionMessage) { return StorageError(.futureRevision, key: key, message: rpc.message) }
            return StorageError(.unavailable, key: key, message: "etcd: \(rpc.code): \(rpc.message)")
        }
        if error is CancellationError { return StorageError(.unavailable, key: key, message: "the etcd request was cancelled") }
        return StorageError(.unavailable, key: key, message: "etcd: \(error)")
    }
}
