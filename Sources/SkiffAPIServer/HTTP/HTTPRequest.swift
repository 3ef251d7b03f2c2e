import NIOCore
import NIOHTTP1
import SkiffAPI

/// A request as the API handlers see it: method, decoded path and query, headers, whole body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the query, percent-decoded.
    public var path: String
    public var query: QueryParameters
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: [UInt8]) {
        self.method = method
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

/// The query string's parameters.
public struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    public init(_ query: String) {
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true)
            let value = parts.count > 1 ? PercentEncoding.decode(String(parts[1]), plusAsSpace: true) : ""
            values[name, default: []].append(value)
        }
    }

    /// The first value of a parameter.
    public subscript(name: String) -> String? { values[name]?.first }

    /// A boolean parameter, parsed as Go's `strconv.ParseBool` (`1`, `t`, `true`, `True`, …).
    public func bool(_ name: String) throws(APIError) -> Bool? {
        guard let text = self[name] else { return nil }
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False", "": return text.isEmpty ? true : false
        default: throw APIError.badRequest("invalid boolean value \"\(text)\" for parameter \(name)")
        }
    }

    /// An integer parameter.
    public func int(_ name: String) throws(APIError) -> Int64? {
        guard let text = self[name], !text.isEmpty else { return nil }
        guard let value = Int64(text) else { throw APIError.badRequest("invalid value \"\(text)\" for parameter \(name): must be an integer") }
        return value
    }
}

/// Percent-decoding of URL paths and query components.
enum PercentEncoding {
    static func decode(_ text: String, plusAsSpace: Bool) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+") where plusAsSpace:
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(), let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                    bytes.append(byte)
                    continue
                }
                bytes.append(value)
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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
