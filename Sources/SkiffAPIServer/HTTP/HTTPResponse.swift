import NIOCore
import NIOHTTP1
import SkiffAPI
import SkiffProtobuf

/// A response: a status, headers and either a whole body or a stream (watches).
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: Body

    /// The body of a response.
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Written chunk by chunk until the closure returns (chunked transfer encoding).
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
        /// No body: the response (`101 Switching Protocols`) hands the connection to another
        /// protocol, which runs until it returns; the connection is then closed.
        case upgrade(ConnectionUpgrade)
    }

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response as kube-apiserver encodes one: members of built-in kinds in Go's struct
    /// order (`GoFieldOrder`), others sorted, and a final newline.
    public static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok, contentType: String = "application/json") -> HTTPResponse {
        .jsonBytes(value.serialized(shapes: GoFieldOrder.shapes) + [UInt8(ascii: "\n")], status: status, contentType: contentType)
    }

    /// A response with already-encoded JSON.
    public static func jsonBytes(_ bytes: [UInt8], status: HTTPResponseStatus = .ok, contentType: String = "application/json") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: .bytes(bytes))
    }

    /// The `Status` response for an API error.
    public static func error(_ error: APIError) -> HTTPResponse {
        var response = json(error.status, status: HTTPResponseStatus(statusCode: error.code))
        if let retry = error.details?.retryAfterSeconds { response.headers.add(name: "Retry-After", value: String(retry)) }
        return response
    }

    /// A plain-text response (health checks).
    public static func text(_ text: String, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .bytes(Array(text.utf8)))
    }
}

/// Writes the chunks of a streamed response; each write is flushed to the client.
public struct ResponseBodyWriter: Sendable {
    let writeChunk: @Sendable ([UInt8]) async throws -> Void

    /// A writer that hands each chunk to `writeChunk` (the HTTP server's connection, or an
    /// in-process reader).
    public init(_ writeChunk: @escaping @Sendable ([UInt8]) async throws -> Void) {
        self.writeChunk = writeChunk
    }

    /// Sends one chunk.
    public func write(_ bytes: [UInt8]) async throws {
        try await writeChunk(bytes)
    }
}
