import SkiffAPI
import SkiffProtobuf
import SkiffStorage

/// How objects are stored: the storage form of an object (see `ResourceStrategy.convertToStorage`)
/// in `mediaType`, without `metadata.resourceVersion`, which is the key's `modRevision` and is set
/// again when an object is read; then, when the resource has one, through `transformer`
/// (encryption at rest). Converting may call out (CRD conversion webhooks), hence async.
struct StorageCodec: Sendable {
    let strategy: any ResourceStrategy
    var mediaType: StorageMediaType = .json
    var transformer: (any ValueTransformer)?

    func decode(_ kv: KeyValue) async throws -> JSONValue {
        let value = try plaintext(of: kv).data
        let stored = KubernetesProtobuf.isEnveloped(value)
            ? try KubernetesProtobuf.decode(value, keepingZeroValues: true) : try JSONValue(parsing: value)
        var object = try await strategy.convertFromStorage(stored)
        object.resourceVersion = String(kv.modRevision)
        return object
    }

    /// The bytes to store for `object` under `key`.
    func encode(_ object: JSONValue, key: String) async throws(APIError) -> [UInt8] {
        // Compacted here, once, outside any lock: storage keeps these bytes (the SQLite and memory
        // backends in their index of current values) for as long as the object lives.
        try seal(await serialize(object), key: key).compacted()
    }

    /// The storage form of `object` before `transformer`.
    func serialize(_ object: JSONValue) async throws(APIError) -> [UInt8] {
        var stored = try await strategy.convertToStorage(object)
        stored.resourceVersion = nil
        if mediaType == .protobuf, let bytes = KubernetesProtobuf.exactEncoding(of: stored) { return bytes }
        return stored.serialized()
    }

    /// `serialized` (from `serialize`) as stored under `key`.
    func seal(_ serialized: [UInt8], key: String) throws(APIError) -> [UInt8] {
        guard let transformer else { return serialized }
        do {
            return try transformer.transformToStorage(serialized, authenticatedData: key)
        } catch {
            throw APIError.internalError("\(error)")
        }
    }

    /// Whether `kv` already holds `serialized` as the current transformer writes it (so writing
    /// it again changes nothing); a value written with an older key is worth rewriting.
    func holds(_ serialized: [UInt8], in kv: KeyValue) -> Bool {
        guard let (data, stale) = try? plaintext(of: kv) else { return false }
        return !stale && data == serialized
    }

    /// Whether `kv` was written with another transformer than writes use now (an older key):
    /// an update that changes nothing still rewrites it (upstream's stale values).
    func isStale(_ kv: KeyValue) -> Bool {
        guard transformer != nil, let (_, stale) = try? plaintext(of: kv) else { return false }
        return stale
    }

    /// The value of `kv` as written, before `transformer`; a value it cannot read is an
    /// internal error, as kube-apiserver's.
    private func plaintext(of kv: KeyValue) throws(APIError) -> (data: [UInt8], stale: Bool) {
        guard let transformer else { return (kv.value, false) }
        do {
            return try transformer.transformFromStorage(kv.value, authenticatedData: kv.key)
        } catch {
            throw APIError.internalError("\(error)")
        }
    }
}
