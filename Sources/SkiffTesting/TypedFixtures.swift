import Foundation
import SkiffAPI

/// Fixtures written as JSON literals, read as the typed models components take.
extension JSONValue {
    /// The fixture as a typed model; a fixture that does not decode is a bug in the test.
    public func typed<Model: Decodable>(as type: Model.Type = Model.self) -> Model {
        do {
            return try JSONDecoder().decode(type, from: Data(serialized()))
        } catch {
            fatalError("fixture does not decode as \(type): \(error)")
        }
    }
}

extension Encodable {
    /// The value as JSON, to compare with a literal.
    public var json: JSONValue {
        do {
            return try JSONValue(parsing: Array(JSONEncoder().encode(self)))
        } catch {
            fatalError("value does not encode: \(error)")
        }
    }
}
