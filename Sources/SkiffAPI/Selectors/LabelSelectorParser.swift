/// The lexer and parser of the label selector string form, following upstream's grammar:
/// `requirement (',' requirement)*` where a requirement is `key`, `!key`, `key op value` with op in
/// `=`, `==`, `!=`, `>`, `<`, or `key in|notin (values)`.
struct LabelSelectorParser {
    struct Failure: Error {
        var message: String
    }

    private enum Token: Equatable {
        case identifier(String)
        case comma, openParen, closeParen, not, equals, doubleEquals, notEquals, greaterThan, lessThan
        case `in`, notIn
        case end
    }

    private var tokens: [Token] = []
    private var position = 0
    private let text: String

    init(_ text: String) {
        self.text = text
    }

    mutating func parse() throws(Failure) -> [LabelSelector.Requirement] {
        tokens = try Self.lex(text)
        var requirements: [LabelSelector.Requirement] = []
        while true {
            if peek == .end { break }
            requirements.append(try parseRequirement())
            switch next() {
            case .end: return requirements
            case .comma:
                if peek == .end { throw Failure(message: "found '', expected: identifier after ','") }
            case let token:
                throw Failure(message: "found '\(Self.render(token))', expected: ',' or 'end of string'")
            }
        }
        return requirements
    }

    private var peek: Token { position < tokens.count ? tokens[position] : .end }

    private mutating func next() -> Token {
        defer { position += 1 }
        return peek
    }

    private mutating func parseRequirement() throws(Failure) -> LabelSelector.Requirement {
        var negated = false
        if peek == .not {
            negated = true
            position += 1
        }
        guard case .identifier(let key) = next() else {
            throw Failure(message: "found '\(Self.render(tokens[max(0, position - 1)]))', expected: identifier")
        }
        let keyProblems = LabelSelector.validateKey(key)
        if !keyProblems.isEmpty { throw Failure(message: "invalid label key \"\(key)\": \(keyProblems.joined(separator: "; "))") }
        if negated {
            return .init(key: key, op: .doesNotExist, values: [])
        }
        let op: LabelSelector.Requirement.Operator
        switch peek {
        case .end, .comma: return .init(key: key, op: .exists, values: [])
        case .equals: op = .equals
        case .doubleEquals: op = .doubleEquals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        case .in: op = .in
        case .notIn: op = .notIn
        case let token:
            throw Failure(message: "found '\(Self.render(token))', expected: in, notin, =, ==, !=, gt, lt")
        }
        position += 1
        let values: [String]
        if op == .in || op == .notIn {
            guard next() == .openParen else { throw Failure(message: "found '\(Self.render(tokens[max(0, position - 1)]))', expected: '('") }
            values = try parseValueSet()
        } else {
            switch peek {
            case .identifier(let value):
                position += 1
                values = [value]
            case .end, .comma:
                values = [""]
            case let token:
                throw Failure(message: "found '\(Self.render(token))', expected: identifier")
            }
            if op == .greaterThan || op == .lessThan, Int64(values[0]) == nil {
                throw Failure(message: "for 'Gt', 'Lt' operators, the value must be an integer")
            }
        }
        for value in values {
            let problems = LabelSelector.validateValue(value)
            if !problems.isEmpty { throw Failure(message: "invalid label value: \"\(value)\": at key: \"\(key)\": \(problems.joined(separator: "; "))") }
        }
        return .init(key: key, op: op, values: Array(Set(values)).sorted())
    }

    /// `a, b, c )` — empty members are empty strings, as upstream (`in (a,)`).
    private mutating func parseValueSet() throws(Failure) -> [String] {
        var values: [String] = []
        var expectingValue = true
        while true {
            switch next() {
            case .identifier(let value):
                guard expectingValue else { throw Failure(message: "found '\(value)', expected: ',' or ')'") }
                values.append(value)
                expectingValue = false
            case .comma:
                if expectingValue { values.append("") }
                expectingValue = true
            case .closeParen:
                if expectingValue { values.append("") }
                return values
            case let token:
                throw Failure(message: "found '\(Self.render(token))', expected: ',', ')' or identifier")
            }
        }
    }

    private static func render(_ token: Token) -> String {
        switch token {
        case .identifier(let value): return value
        case .comma: return ","
        case .openParen: return "("
        case .closeParen: return ")"
        case .not: return "!"
        case .equals: return "="
        case .doubleEquals: return "=="
        case .notEquals: return "!="
        case .greaterThan: return ">"
        case .lessThan: return "<"
        case .in: return "in"
        case .notIn: return "notin"
        case .end: return ""
        }
    }

    private static func lex(_ text: String) throws(Failure) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var index = 0
        func isSpecial(_ b: UInt8) -> Bool { "=!(),><".utf8.contains(b) }
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
        while index < bytes.count {
            let byte = bytes[index]
            if isSpace(byte) {
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","): tokens.append(.comma); index += 1
            case UInt8(ascii: "("): tokens.append(.openParen); index += 1
            case UInt8(ascii: ")"): tokens.append(.closeParen); index += 1
            case UInt8(ascii: ">"): tokens.append(.greaterThan); index += 1
            case UInt8(ascii: "<"): tokens.append(.lessThan); index += 1
            case UInt8(ascii: "="):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") {
                    tokens.append(.doubleEquals)
                    index += 2
                } else {
                    tokens.append(.equals)
                    index += 1
                }
            case UInt8(ascii: "!"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") {
                    tokens.append(.notEquals)
                    index += 2
                } else {
                    tokens.append(.not)
                    index += 1
                }
            default:
                let start = index
                while index < bytes.count, !isSpace(bytes[index]), !isSpecial(bytes[index]) { index += 1 }
                let word = String(decoding: bytes[start..<index], as: UTF8.self)
                switch word {
                case "in": tokens.append(.in)
                case "notin": tokens.append(.notIn)
                default: tokens.append(.identifier(word))
                }
            }
        }
        return tokens
    }
}
