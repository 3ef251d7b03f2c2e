import SkiffAPI

@testable import SkiffControllers

/// Fixtures written as JSON literals, read as the typed models the controllers take.
extension JSONValue {
    /// The fixture as a typed model; a fixture that does not decode is a bug in the test.
    func typed<Model: Decodable>(as type: Model.Type = Model.self) -> Model {
        do {
            return try decoded(as: type)
        } catch {
            fatalError("fixture does not decode as \(type): \(error)")
        }
    }
}

extension Encodable {
    /// The value as JSON, to compare with a literal.
    var json: JSONValue {
        do {
            return try JSONValue(encoding: self)
        } catch {
            fatalError("value does not encode: \(error)")
        }
    }
}
