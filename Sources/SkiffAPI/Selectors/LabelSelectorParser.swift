/// The parser of the label selector string form, with upstream's grammar, error messages and quirks:
///
///     selector    ::= requirement ("," requirement)*
///     requirement ::= "!" KEY | KEY [ ("=" | "==" | "!=" | ">" | "<") [VALUE] | ("in" | "notin") "(" values ")" ]
///     values      ::= [VALUE] ("," [VALUE])*
///
/// `in` and `notin` are operators only after a key; elsewhere they are ordinary words, so
/// `in in (notin)` is a requirement on the label `in`. A missing value is the empty value
/// (`a=`, `a in (x,)`). Keys and values are validated as `NewRequirement` does.
struct LabelSelectorParser {
    /// A parse error, carrying upstream's complete message.
    struct Failure: Error {
        var message: String
    }

    private struct Token {
        enum Kind {
            case identifier, keywordIn, keywordNotIn
            case comma, openParen, closeParen, not, equals, doubleEquals, notEquals, greaterThan, lessThan
            case end
        }

        var kind: Kind
        /// The text as written; empty at the end of input.
        var literal: String
    }

    /// Where the parser is: `in`/`notin` are operators only where an operator is expected.
    private enum Context {
        case keyAndOperator, values
    }

    private let tokens: [Token]
    private var position = 0

    init(_ text: String) {
        tokens = Self.tokenize(text)
    }

    /// The requirements in the order written.
    mutating func parse() throws(Failure) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            let token = peek(.values)
            switch token.kind {
            case .identifier, .not:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw Failure(message: "unable to parse requirement: " + error.message)
                }
                let separator = consume(.values)
                switch separator.kind {
                case .end:
                    return requirements
                case .comma:
                    let next = peek(.values)
                    guard next.kind == .identifier || next.kind == .not else {
                        throw Failure(message: "found '\(next.literal)', expected: identifier after ','")
                    }
                default:
                    throw Failure(message: "found '\(separator.literal)', expected: ',' or 'end of string'")
                }
            case .end:
                return requirements
            default:
                throw Failure(message: "found '\(token.literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(Failure) -> LabelSelector.Requirement {
        var token = consume(.values)
        let negated = token.kind == .not
        if negated { token = consume(.values) }
        guard token.kind == .identifier else {
            throw Failure(message: "found '\(token.literal)', expected: identifier")
        }
        let key = token.literal
        let keyProblems = LabelSelector.validateKey(key)
        guard keyProblems.isEmpty else {
            // Upstream validates the key against a nil field path, which prints as `<nil>`.
            throw Failure(message: "<nil>: Invalid value: \(key.goQuoted): \(keyProblems.joined(separator: "; "))")
        }
        let op: LabelSelector.Requirement.Operator
        let values: [String]
        if negated {
            // `!key` ends the requirement whatever follows; the caller rejects anything but `,` or the end.
            op = .doesNotExist
            values = []
        } else if [.end, .comma].contains(peek(.values).kind) {
            op = .exists
            values = []
        } else {
            op = try parseOperator()
            values = op == .in || op == .notIn ? try parseValueSet() : try parseExactValue()
        }
        do {
            return try LabelSelector.Requirement(key: key, operator: op, values: values)
        } catch {
            throw Failure(message: error.message)
        }
    }

    private mutating func parseOperator() throws(Failure) -> LabelSelector.Requirement.Operator {
        let token = consume(.keyAndOperator)
        switch token.kind {
        case .keywordIn: return .in
        case .keywordNotIn: return .notIn
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .notEquals: return .notEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        default: throw Failure(message: "found '\(token.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
    }

    /// `( values )`: distinct values, sorted; empty members are the empty value, so `()` is `("")`.
    private mutating func parseValueSet() throws(Failure) -> [String] {
        let open = consume(.values)
        guard open.kind == .openParen else {
            throw Failure(message: "found '\(open.literal)' expected: '('")
        }
        var values: Set<String> = []
        let first = peek(.values)
        switch first.kind {
        case .closeParen:
            values.insert("")
        case .identifier, .comma:
            try parseValueList(into: &values)
        default:
            throw Failure(message: "found '\(first.literal)', expected: ',', ')' or identifier")
        }
        position += 1  // the `)` that ends the list
        return values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The members of a non-empty list, up to (not including) its `)`.
    private mutating func parseValueList(into values: inout Set<String>) throws(Failure) {
        while true {
            let token = consume(.values)
            switch token.kind {
            case .identifier:
                values.insert(token.literal)
                let next = peek(.values)
                switch next.kind {
                case .comma: continue
                case .closeParen: return
                default: throw Failure(message: "found '\(next.literal)', expected: ',' or ')'")
                }
            case .comma:
                // A comma first, last or after another comma stands next to an empty member.
                if values.isEmpty { values.insert("") }
                switch peek(.values).kind {
                case .closeParen:
                    values.insert("")
                    return
                case .comma:
                    values.insert("")
                default:
                    continue
                }
            default:
                throw Failure(message: "found '\(token.literal)', expected: ',', or identifier")
            }
        }
    }

    /// The value after `=`, `==`, `!=`, `>` or `<`; nothing before `,` or the end is the empty value.
    private mutating func parseExactValue() throws(Failure) -> [String] {
        if [.end, .comma].contains(peek(.values).kind) { return [""] }
        let token = consume(.values)
        guard token.kind == .identifier else {
            throw Failure(message: "found '\(token.literal)', expected: identifier")
        }
        return [token.literal]
    }

    private func peek(_ context: Context) -> Token {
        let token = position < tokens.count ? tokens[position] : Token(kind: .end, literal: "")
        switch (context, token.kind) {
        case (.values, .keywordIn), (.values, .keywordNotIn): return Token(kind: .identifier, literal: token.literal)
        default: return token
        }
    }

    private mutating func consume(_ context: Context) -> Token {
        defer { position += 1 }
        return peek(context)
    }

    /// Splits the text into tokens as upstream's lexer: blanks (space, tab, CR, LF) separate
    /// tokens; `!=` and `==` are single tokens; a word is everything up to a blank or one of
    /// `=!(),<>`. Like upstream, a NUL byte ends the token it is in and, between tokens, the input.
    private static func tokenize(_ text: String) -> [Token] {
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var index = 0
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        func isSymbol(_ byte: UInt8) -> Bool { "=!(),<>".utf8.contains(byte) }
        while true {
            while index < bytes.count, isBlank(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] != 0 else { return tokens }
            let start = index
            let followedByEquals = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "=")
            let kind: Token.Kind
            switch bytes[index] {
            case UInt8(ascii: "="): kind = followedByEquals ? .doubleEquals : .equals
            case UInt8(ascii: "!"): kind = followedByEquals ? .notEquals : .not
            case UInt8(ascii: "("): kind = .openParen
            case UInt8(ascii: ")"): kind = .closeParen
            case UInt8(ascii: ","): kind = .comma
            case UInt8(ascii: "<"): kind = .lessThan
            case UInt8(ascii: ">"): kind = .greaterThan
            default:
                while index < bytes.count, bytes[index] != 0, !isBlank(bytes[index]), !isSymbol(bytes[index]) { index += 1 }
                let word = String(decoding: bytes[start..<index], as: UTF8.self)
                kind = word == "in" ? .keywordIn : word == "notin" ? .keywordNotIn : .identifier
            }
            if index == start {  // a symbol: one byte, two for `==` and `!=`
                index += kind == .doubleEquals || kind == .notEquals ? 2 : 1
            }
            tokens.append(Token(kind: kind, literal: String(decoding: bytes[start..<index], as: UTF8.self)))
            if index < bytes.count, bytes[index] == 0 { index += 1 }  // a NUL ending a token is consumed with it
        }
    }
}
