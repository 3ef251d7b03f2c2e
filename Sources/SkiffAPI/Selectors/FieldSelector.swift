/// A field selector (`metadata.name=x,status.phase!=Running`): equality requirements on an
/// object's selectable fields, with upstream's escaping (`\,` `\=` `\\`).
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// One requirement: `field=value` or `field!=value`.
    public struct Requirement: Sendable, Hashable {
        public var field: String
        public var value: String
        public var negated: Bool
    }

    public private(set) var requirements: [Requirement]

    /// The selector that matches everything.
    public init() {
        requirements = []
    }

    public var isEverything: Bool { requirements.isEmpty }

    /// Parses the string form; invalid input is `400 BadRequest`.
    public init(parsing text: String) throws(APIError) {
        var requirements: [Requirement] = []
        for term in Self.split(text, on: UInt8(ascii: ",")) where !term.isEmpty {
            guard let requirement = Self.parseTerm(term) else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(requirement)
        }
        self.requirements = requirements
    }

    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            let value = fields[requirement.field] ?? ""
            return requirement.negated ? value != requirement.value : value == requirement.value
        }
    }

    /// The value a requirement pins `field` to, if any (`field=value`).
    public func exactValue(for field: String) -> String? {
        requirements.first { $0.field == field && !$0.negated }?.value
    }

    /// Rejects fields outside `supported`, as upstream: `field label not supported: X`.
    public func validateFields(supported: Set<String>) throws(APIError) {
        for requirement in requirements where !supported.contains(requirement.field) {
            throw APIError.badRequest("field label not supported: \(requirement.field)")
        }
    }

    public var description: String {
        requirements.map { "\(Self.escape($0.field))\($0.negated ? "!=" : "=")\(Self.escape($0.value))" }.joined(separator: ",")
    }

    private static func escape(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing(",", with: "\\,").replacing("=", with: "\\=")
    }

    private static func parseTerm(_ term: String) -> Requirement? {
        let bytes = Array(term.utf8)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                index += 2
                continue
            case UInt8(ascii: "!") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "="):
                return requirement(bytes, index, index + 2, negated: true)
            case UInt8(ascii: "="):
                let end = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "=") ? index + 2 : index + 1
                return requirement(bytes, index, end, negated: false)
            default:
                index += 1
            }
        }
        return nil
    }

    private static func requirement(_ bytes: [UInt8], _ opStart: Int, _ valueStart: Int, negated: Bool) -> Requirement? {
        let field = unescape(Array(bytes[..<opStart]))
        guard let field, !field.isEmpty, let value = unescape(Array(bytes[valueStart...])) else { return nil }
        return Requirement(field: field, value: value, negated: negated)
    }

    /// Removes `\` escapes; only `\\`, `\,` and `\=` are valid.
    private static func unescape(_ bytes: [UInt8]) -> String? {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count, "\\,=".utf8.contains(bytes[index + 1]) else { return nil }
                result.append(bytes[index + 1])
                index += 2
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Splits on unescaped separators.
    private static func split(_ text: String, on separator: UInt8) -> [String] {
        var parts: [String] = []
        var current: [UInt8] = []
        var escaped = false
        for byte in text.utf8 {
            if escaped {
                current.append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                current.append(byte)
                escaped = true
            } else if byte == separator {
                parts.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(byte)
            }
        }
        parts.append(String(decoding: current, as: UTF8.self))
        return parts
    }
}
