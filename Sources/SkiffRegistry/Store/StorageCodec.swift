import SkiffAPI
import SkiffProtobuf
import SkiffStorage

/// How objects are stored: the storage form of an object (see `ResourceStrategy.convertToStorage`)
/// in `mediaType`, without `metadata.resourceVersion`, which is the key's `modRevision` and is set
/// again when an object is read. Converting may call out (CRD conversion webhooks), hence async.
struct StorageCodec: Sendable {
    let strategy: any ResourceStrategy
    var mediaType: StorageMediaType = .json

    func decode(_ kv: KeyValue) async throws -> JSONValue {
        let stored = KubernetesProtobuf.isEnveloped(kv.value)
            ? try KubernetesProtobuf.decode(kv.value, keepingZeroValues: true) : try JSONValue(parsing: kv.value)
        var object = try await strategy.convertFromStorage(stored)
        object.resourceVersion = String(kv.modRevision)
        return object
    }

    func encode(_ object: JSONValue) async throws(APIError) -> [UInt8] {
        var stored = try await strategy.convertToStorage(object)
        stored.resourceVersion = nil
        if mediaType == .protobuf, let bytes = KubernetesProtobuf.exactEncoding(of: stored) { return bytes }
        return stored.serialized()
    }
}
