import Foundation
import SkiffAPI

/// Decodes `json` as `T`, encodes it again, and returns both documents as `JSONValue`s to compare.
func roundTrip<T: Codable>(_ type: T.Type, _ json: [UInt8]) throws -> (original: JSONValue, reencoded: JSONValue, value: T) {
    let value = try JSONDecoder().decode(T.self, from: Data(json))
    let encoded = try JSONEncoder().encode(value)
    return (try JSONValue(parsing: json), try JSONValue(parsing: Array(encoded)), value)
}

func roundTrip<T: Codable>(_ type: T.Type, _ json: String) throws -> (original: JSONValue, reencoded: JSONValue, value: T) {
    try roundTrip(type, Array(json.utf8))
}
