import NIOHTTP1
import SkiffAPI
import SkiffProtobuf

/// One request to the API server, built up step by step (client-go's `rest.Request`):
///
/// ```swift
/// let request = APIRequest(.GET, APIRequest.Resource(pods))
///     .namespace("default").name("web").subresource("status")
/// ```
public struct APIRequest: Sendable {
    public var method: HTTPMethod
    /// The group and version (the core group is `""`), nil for a request by absolute path.
    public var groupVersion: GroupVersion?
    public var namespace: String?
    public var resource: String?
    public var name: String?
    public var subresource: String?
    /// A path used as is (discovery: `/api`, `/apis/apps/v1`) instead of the resource parts.
    public var absolutePath: String?
    public var query: [QueryItem] = []
    public var body: [UInt8]?
    public var contentType: String?
    /// The `Accept` header; `application/json` when nil.
    public var accept: String?
    /// The request streams its response (a watch): no overall timeout applies.
    public var isStreaming = false

    /// A request for a resource of a group version.
    public init(_ method: HTTPMethod, _ resource: GroupVersionResource) {
        self.method = method
        groupVersion = resource.groupVersion
        self.resource = resource.resource
    }

    /// A request for a path outside the resource layout.
    public init(_ method: HTTPMethod, path: String) {
        self.method = method
        absolutePath = path
    }

    /// The request in `namespace` (no change for nil or empty).
    public func namespace(_ namespace: String?) -> APIRequest {
        var copy = self
        if let namespace, !namespace.isEmpty { copy.namespace = namespace }
        return copy
    }

    public func name(_ name: String?) -> APIRequest {
        var copy = self
        if let name, !name.isEmpty { copy.name = name }
        return copy
    }

    public func subresource(_ subresource: String?) -> APIRequest {
        var copy = self
        if let subresource, !subresource.isEmpty { copy.subresource = subresource }
        return copy
    }

    /// The request with these options added to its query.
    public func options(_ options: some QueryOptions) -> APIRequest {
        var copy = self
        copy.query += options.queryItems
        return copy
    }

    public func query(_ name: String, _ value: String) -> APIRequest {
        var copy = self
        copy.query.append(QueryItem(name, value))
        return copy
    }

    /// The request asking for the media types `accept` (nil: JSON).
    public func accept(_ accept: String?) -> APIRequest {
        var copy = self
        copy.accept = accept
        return copy
    }

    /// The request with a JSON body (`application/json`, or `contentType` for patches).
    public func body(_ value: JSONValue, contentType: String = "application/json") -> APIRequest {
        body(value.serialized(), contentType: contentType)
    }

    public func body(_ bytes: [UInt8], contentType: String = "application/json") -> APIRequest {
        var copy = self
        copy.body = bytes
        copy.contentType = contentType
        return copy
    }

    /// The path: `/api/v1/namespaces/NS/pods/NAME/status`, `/apis/apps/v1/deployments`.
    public var path: String {
        if let absolutePath { return absolutePath }
        var path = ""
        if let groupVersion {
            path = groupVersion.group.isEmpty ? "/api/\(groupVersion.version)" : "/apis/\(groupVersion.group)/\(groupVersion.version)"
        }
        // Namespaces themselves are a cluster-scoped resource: no `namespaces/NS` prefix there.
        if let namespace, resource != "namespaces" || name == nil { path += "/namespaces/" + Self.escape(namespace) }
        if let resource { path += "/" + resource }
        if let name { path += "/" + Self.escape(name) }
        if let subresource { path += "/" + subresource }
        return path
    }

    /// The path and the encoded query.
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { Self.escape($0.name, query: true) + "=" + Self.escape($0.value, query: true) }.joined(separator: "&")
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    /// Percent-encodes everything but RFC 3986's unreserved characters (and `:`/`@` in paths).
    static func escape(_ text: String, query: Bool = false) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                escaped.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: ":") where !query, UInt8(ascii: "@") where !query:
                escaped.append(Character(Unicode.Scalar(byte)))
            default:
                escaped += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0xF)])
            }
        }
        return escaped
    }
}

/// A response read in full.
public struct APIResponse: Sendable {
    public var statusCode: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    /// The body parsed as JSON.
    public func json() throws -> JSONValue {
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw ClientError.decoding("the response is not JSON: \(error)")
        }
    }

    /// Whether the body is Kubernetes protobuf (by its `Content-Type`).
    public var isProtobuf: Bool {
        headers.first(name: "Content-Type")?.hasPrefix(KubernetesProtobuf.mediaType) == true
    }

    /// `Warning` headers (e.g. unknown fields dropped), as texts.
    public var warnings: [String] { headers["Warning"] }
}
