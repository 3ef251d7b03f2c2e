import SkiffAPI
import SkiffStorage

/// How objects are stored: JSON in the storage's form (see `ResourceStrategy.convertToStorage`),
/// without `metadata.resourceVersion`, which is the key's `modRevision` and is set again when an
/// object is read. Converting may call out (CRD conversion webhooks), hence async.
struct StorageCodec: Sendable {
    let strategy: any ResourceStrategy

    func decode(_ kv: KeyValue) async throws -> JSONValue {
        var object = try await strategy.convertFromStorage(try JSONValue(parsing: kv.value))
        object.resourceVersion = String(kv.modRevision)
        return object
    }

    func encode(_ object: JSONValue) async throws(APIError) -> [UInt8] {
        var stored = try await strategy.convertToStorage(object)
        stored.resourceVersion = nil
        return stored.serialized()
    }
}
