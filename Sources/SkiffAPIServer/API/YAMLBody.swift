import SkiffAPI
import Yams

/// YAML request bodies (`application/yaml`, and server-side apply's `application/apply-patch+yaml`
/// when the body is not JSON), read into the JSON object model as upstream converts YAML to JSON.
enum YAMLBody {
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        do {
            return try YAMLDecoder().decode(JSONValue.self, from: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw APIError.badRequest("the body of the request could not be decoded as YAML: \(error)")
        }
    }
}
