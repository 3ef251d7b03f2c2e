import SkiffAPI
import SkiffProtobuf

/// Decoding of request bodies by `Content-Type`: JSON (also when no type is given, as upstream
/// accepts from clients such as the Python client) and Kubernetes protobuf.
enum RequestBody {
    static let acceptedTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    static func decodeObject(_ request: HTTPRequest) throws(APIError) -> JSONValue {
        switch request.contentType {
        case "", "application/json", "*/*":
            return try parseJSON(request.body)
        case "application/yaml":
            return try YAMLBody.parse(request.body)
        case "application/vnd.kubernetes.protobuf":
            do {
                return try KubernetesProtobuf.decode(request.body)
            } catch {
                throw APIError.badRequest("the body of the request was in an unknown format: \(error)")
            }
        default:
            throw APIError.unsupportedMediaType(accepted: acceptedTypes)
        }
    }

    /// The body as an object, and the members a JSON body repeats (for field validation).
    static func decodeObjectReportingDuplicates(_ request: HTTPRequest) throws(APIError) -> (value: JSONValue, duplicates: [String]) {
        switch request.contentType {
        case "", "application/json", "*/*":
            do {
                return try JSONValue.parsingReportingDuplicates(request.body)
            } catch {
                throw APIError.badRequest("the body of the request could not be decoded: \(error)")
            }
        default:
            return (try decodeObject(request), [])
        }
    }

    static func parseJSON(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw APIError.badRequest("the body of the request could not be decoded: \(error)")
        }
    }
}
