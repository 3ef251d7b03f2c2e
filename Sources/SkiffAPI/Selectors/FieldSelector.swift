/// A field selector, as upstream's `fields.Selector`: `field=value`, `field==value` and
/// `field!=value` requirements, separated by commas, that must all hold (`metadata.name=web,status.phase!=Running`).
///
/// In a value, `\,` `\=` and `\\` stand for `,` `=` and `\`; a field name is taken literally up to
/// its operator. Selectors match plain field maps, where a missing field counts as the empty string.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// The requirements, ordered by their text as written (upstream sorts the terms).
    public let requirements: [Requirement]

    /// The selector that matches everything.
    public init() {
        requirements = []
    }

    /// Parses the string form as upstream's `ParseSelector`. Empty terms are skipped, and so is a
    /// term with neither field nor value (`=`). Invalid input is `400 BadRequest` with upstream's
    /// message: `invalid selector: 'x'; can't understand 'x'`, `invalid field selector: invalid
    /// escape sequence: \x` or `invalid field selector: unescaped character in value: 61` (the
    /// character's code, as upstream prints it).
    public init(parsing text: String) throws(APIError) {
        let terms = Self.splitTerms(text).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var requirements: [Requirement] = []
        for term in terms where !term.isEmpty {
            guard let parts = Self.splitTerm(term) else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let value = try Self.unescapeValue(parts.escapedValue)
            if parts.field.isEmpty && value.isEmpty { continue }
            requirements.append(Requirement(field: parts.field, operator: parts.operator, value: value))
        }
        self.requirements = requirements
    }

    /// Whether the selector does not restrict the selection (no requirements).
    public var isEverything: Bool { requirements.isEmpty }

    /// Whether every requirement holds for `fields`.
    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(fields) }
    }

    /// The value the selector pins `field` to (`field=value`), if any, as upstream's
    /// `RequiresExactMatch`; stores use it to look one object up instead of scanning.
    public func exactValue(for field: String) -> String? {
        requirements.first { $0.field == field && $0.operator == .equals }?.value
    }

    /// Rejects requirements on fields outside `supported` as upstream's field label conversion
    /// does: `400 BadRequest` `field label not supported: <field>`, for the first such field.
    public func validateFields(supported: Set<String>) throws(APIError) {
        if let unsupported = requirements.first(where: { !supported.contains($0.field) }) {
            throw APIError.badRequest("field label not supported: \(unsupported.field)")
        }
    }

    /// The string form, as upstream's `String()`: `field=value` or `field!=value` with escaped
    /// values, joined by commas.
    public var description: String {
        requirements.map { "\($0.field)\($0.operator.rawValue)\(Self.escapeValue($0.value))" }.joined(separator: ",")
    }

    /// `value` escaped for use in a field selector (`\` `,` `=` become `\\` `\,` `\=`), as upstream's `EscapeValue`.
    public static func escapeValue(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            if scalar == "\\" || scalar == "," || scalar == "=" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(scalar)
        }
        return escaped
    }

    /// The terms between unescaped commas; escapes stay in the terms.
    private static func splitTerms(_ text: String) -> [Substring] {
        var terms: [Substring] = []
        var start = text.unicodeScalars.startIndex
        var escaping = false
        for index in text.unicodeScalars.indices {
            let scalar = text.unicodeScalars[index]
            if escaping {
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else if scalar == "," {
                terms.append(Substring(text.unicodeScalars[start..<index]))
                start = text.unicodeScalars.index(after: index)
            }
        }
        terms.append(Substring(text.unicodeScalars[start...]))
        return terms
    }

    /// The field, operator and raw value of a term, split at the first `!=`, `==` or `=`.
    private static func splitTerm(_ term: Substring) -> (field: String, operator: Requirement.Operator, escapedValue: Substring)? {
        let scalars = term.unicodeScalars
        for index in scalars.indices where scalars[index] == "!" || scalars[index] == "=" {
            let next = scalars.index(after: index)
            let doubled = next < scalars.endIndex && scalars[next] == "="
            if scalars[index] == "!" && !doubled { continue }
            let valueStart = doubled ? scalars.index(after: next) : next
            let op: Requirement.Operator = scalars[index] == "!" ? .notEquals : .equals
            return (String(Substring(scalars[..<index])), op, Substring(scalars[valueStart...]))
        }
        return nil
    }

    /// A value without its escapes, as upstream's `UnescapeValue`.
    private static func unescapeValue(_ escaped: Substring) throws(APIError) -> String {
        var value = ""
        var escaping = false
        for scalar in escaped.unicodeScalars {
            if escaping {
                guard scalar == "\\" || scalar == "," || scalar == "=" else {
                    throw APIError.badRequest("invalid field selector: invalid escape sequence: \\\(scalar)")
                }
                value.unicodeScalars.append(scalar)
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else if scalar == "," || scalar == "=" {
                throw APIError.badRequest("invalid field selector: unescaped character in value: \(scalar.value)")
            } else {
                value.unicodeScalars.append(scalar)
            }
        }
        if escaping {
            throw APIError.badRequest("invalid field selector: invalid escape sequence: \\")
        }
        return value
    }
}
