import NIOCore
import NIOHTTP1
import SkiffAPI
import X509

/// A request as the API handlers see it: method, decoded path and query, headers, whole body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent: path and query, still percent-encoded.
    public var uri: String
    /// The path without the query, percent-decoded.
    public var path: String
    public var query: QueryParameters
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The certificate the client presented in the TLS handshake, verified against the client
    /// CA; nil over plain HTTP or without one.
    public var clientCertificate: Certificate?
    /// The IP address of the connection's peer, as the audit log's `sourceIPs` lists it.
    public var remoteAddress: String?

    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: [UInt8]) {
        self.method = method
        self.uri = uri
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = PercentEncoding.decode(String(parts[0]), plusAsSpace: false)
        self.query = QueryParameters(parts.count > 1 ? String(parts[1]) : "")
        self.headers = headers
        self.body = body
    }

    /// The media type of the body (`Content-Type` without parameters), lowercased.
    public var contentType: String {
        headers.first(name: "content-type").map(MediaType.essence) ?? ""
    }
}

/// Helpers on media types (`type/subtype;param=value`).
enum MediaType {
    /// `application/json; charset=utf-8` → `application/json`.
    static func essence(_ value: String) -> String {
        String(value.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces().lowercased()
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
