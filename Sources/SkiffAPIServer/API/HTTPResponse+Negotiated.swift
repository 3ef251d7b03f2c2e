import NIOHTTP1
import SkiffAPI
import SkiffProtobuf

extension HTTPResponse {
    /// `value` in the negotiated encoding: protobuf when asked and the kind has a protobuf form,
    /// JSON otherwise (a `Table` is built by `ResponseEncoder`, not here).
    static func negotiated(_ value: JSONValue, format: ResponseFormat?, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        if format == .protobuf, let bytes = try? KubernetesProtobuf.encode(value) {
            return HTTPResponse(status: status, headers: ["Content-Type": ResponseFormat.protobufContentType], body: .bytes(bytes))
        }
        return .json(value, status: status)
    }

    /// The `Status` response for an API error, in protobuf when `accept` prefers it and
    /// `allowsProtobuf` (errors about custom resources are JSON, as upstream's), JSON otherwise.
    static func error(_ error: APIError, accept: String?, allowsProtobuf: Bool = true) -> HTTPResponse {
        var response = HTTPResponse.error(error)
        if ResponseFormat.negotiate(accept, allowsProtobuf: allowsProtobuf) == .protobuf, let bytes = try? KubernetesProtobuf.encode(error.status) {
            response.body = .bytes(bytes)
            response.headers.replaceOrAdd(name: "Content-Type", value: ResponseFormat.protobufContentType)
        }
        return response
    }
}
