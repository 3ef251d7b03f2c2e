import SkiffAPI
import SkiffStorage

/// How objects are stored: JSON without `metadata.resourceVersion`, which is the key's
/// `modRevision` and is set again when an object is read.
enum ObjectCodec {
    static func decode(_ kv: KeyValue) throws -> JSONValue {
        var object = try JSONValue(parsing: kv.value)
        object.resourceVersion = String(kv.modRevision)
        return object
    }

    static func decode(_ value: [UInt8], revision: Int64) throws -> JSONValue {
        var object = try JSONValue(parsing: value)
        object.resourceVersion = String(revision)
        return object
    }

    static func encode(_ object: JSONValue) -> [UInt8] {
        var stored = object
        stored.resourceVersion = nil
        return stored.serialized()
    }
}
