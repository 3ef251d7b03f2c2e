import SkiffAPI
import SkiffStorage

/// How objects are stored: JSON in the storage's form (see `ResourceStrategy.toStorage`), without
/// `metadata.resourceVersion`, which is the key's `modRevision` and is set again when an object is
/// read.
struct StorageCodec: Sendable {
    let strategy: any ResourceStrategy

    func decode(_ kv: KeyValue) throws -> JSONValue {
        var object = strategy.fromStorage(try JSONValue(parsing: kv.value))
        object.resourceVersion = String(kv.modRevision)
        return object
    }

    func encode(_ object: JSONValue) -> [UInt8] {
        var stored = strategy.toStorage(object)
        stored.resourceVersion = nil
        return stored.serialized()
    }
}
