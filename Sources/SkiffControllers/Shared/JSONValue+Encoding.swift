import Foundation
import SkiffAPI

extension JSONValue {
    /// `value` as a JSON tree (a typed model's fields in a patch).
    init(encoding value: some Encodable) throws {
        try self.init(parsing: Array(JSONEncoder().encode(value)))
    }
}
