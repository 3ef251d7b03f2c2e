/// A request's query parameters, decoded: what the server reads the option types from
/// (`ListOptions(query:)`, `DeleteOptions(query:)`…), as the client writes them with `queryItems`.
public struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    /// Parses a raw query string (`a=1&b=x%20y`), percent- and plus-decoding names and values.
    public init(_ query: String) {
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true)
            let value = parts.count > 1 ? PercentEncoding.decode(String(parts[1]), plusAsSpace: true) : ""
            values[name, default: []].append(value)
        }
    }

    /// The parameters of already decoded items, in their order.
    public init(_ items: [QueryItem]) {
        for item in items { values[item.name, default: []].append(item.value) }
    }

    /// The first value of a parameter.
    public subscript(name: String) -> String? { values[name]?.first }

    /// Every value of a repeated parameter (`command=sh&command=-c`), in order.
    public func all(_ name: String) -> [String] { values[name] ?? [] }

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
public enum PercentEncoding {
    /// `text` with `%XX` escapes (and, if `plusAsSpace`, `+`) decoded; a malformed escape is kept.
    public static func decode(_ text: String, plusAsSpace: Bool) -> String {
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
