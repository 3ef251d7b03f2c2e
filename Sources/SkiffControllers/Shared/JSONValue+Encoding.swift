import Foundation
import SkiffAPI

extension JSONValue {
    /// `value` as a JSON tree (a typed model's fields in a patch).
    init(encoding value: some Encodable) throws {
        try self.init(parsing: Array(JSONEncoder().encode(value)))
    }
}

extension JSONValue {
    /// The tree decoded as a typed model (a pod template a ControllerRevision stores).
    func decoded<Value: Decodable>(as type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: Data(serialized()))
    }
}
