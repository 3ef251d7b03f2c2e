import Foundation
import SkiffAPI

/// The stored state of one allocator: upstream's `RangeAllocation` object (`v1`), which holds
/// the range it covers and the base64 of its bitmap.
struct RangeAllocation: Sendable, Equatable {
    /// The range as configured: a CIDR (`10.96.0.0/12`) or a port range (`30000-32767`).
    var range: String
    var bitmap: AllocationBitmap

    /// The object as stored, serialized as `JSONValue.serialized()` would (sorted keys). Written
    /// directly: the bitmap of a /12 is 128 KiB, and base64 needs no escaping.
    var serialized: [UInt8] {
        var bytes = Array(#"{"apiVersion":"v1","data":""#.utf8)
        bytes.append(contentsOf: Data(bitmap.bigEndianBytes).base64EncodedData())
        bytes += Array(#"","kind":"RangeAllocation","metadata":{"creationTimestamp":null},"range":""#.utf8)
        bytes += Array(range.utf8)
        bytes += Array(#""}"#.utf8)
        return bytes
    }

    /// Reads a stored object; nil when it is not one or covers another range (then the state is
    /// rebuilt by the repair at start).
    init?(object: JSONValue, range: String, count: Int) {
        guard object["kind"] == "RangeAllocation", object.stringValue(at: "range") == range,
              let data = Data(base64Encoded: object.stringValue(at: "data")) else { return nil }
        self.range = range
        bitmap = AllocationBitmap(count: count, bigEndianBytes: Array(data))
    }

    init(range: String, bitmap: AllocationBitmap) {
        self.range = range
        self.bitmap = bitmap
    }
}
