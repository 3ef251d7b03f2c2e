/// Splits a CEL expression into tokens (cel-spec's lexical grammar: decimal and hexadecimal
/// integers, `u` suffixes, doubles with exponents, quoted, triple-quoted, raw and bytes strings).
struct CELLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    static let reservedWords: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    ]

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    private var position: CELSourcePosition { CELSourcePosition(line: line, column: index - lineStart, offset: index) }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    private mutating func advance() -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" {
            line += 1
            lineStart = index
        }
        return scalar
    }

    /// All tokens, ending with `.end`.
    mutating func tokenize() throws(CELSyntaxError) -> [CELToken] {
        var tokens: [CELToken] = []
        while true {
            skipTrivia()
            let start = position
            guard let scalar = peek() else {
                tokens.append(CELToken(kind: .end, text: "", position: start))
                return tokens
            }
            let kind: CELToken.Kind
            if scalar.properties.isAlphabetic && scalar.isASCII || scalar == "_" {
                kind = try lexWordOrPrefixedString()
            } else if ("0"..."9").contains(scalar) || scalar == "." && peek(1).map({ ("0"..."9").contains($0) }) == true {
                kind = try lexNumber()
            } else if scalar == "\"" || scalar == "'" {
                kind = .string(String(String.UnicodeScalarView(try lexQuoted(raw: false, bytes: false).map { Unicode.Scalar($0)! })))
            } else {
                kind = try lexSymbol()
            }
            let text = String(String.UnicodeScalarView(scalars[start.offset..<index]))
            tokens.append(CELToken(kind: kind, text: text, position: start))
        }
    }

    private mutating func skipTrivia() {
        while let scalar = peek() {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" {
                _ = advance()
            } else if scalar == "/" && peek(1) == "/" {
                while let next = peek(), next != "\n" { _ = advance() }
            } else {
                return
            }
        }
    }

    private mutating func lexWordOrPrefixedString() throws(CELSyntaxError) -> CELToken.Kind {
        // String prefixes: r, R, b, B and their combinations directly before a quote.
        var prefixLength = 0
        while prefixLength < 2, let scalar = peek(prefixLength), "rRbB".unicodeScalars.contains(scalar) { prefixLength += 1 }
        if prefixLength > 0, let quote = peek(prefixLength), quote == "\"" || quote == "'" {
            let prefix = String(String.UnicodeScalarView(scalars[index..<index + prefixLength])).lowercased()
            if prefix == "r" || prefix == "b" || prefix == "rb" || prefix == "br" {
                for _ in 0..<prefixLength { _ = advance() }
                let raw = prefix.contains("r")
                let isBytes = prefix.contains("b")
                let values = try lexQuoted(raw: raw, bytes: isBytes)
                if isBytes { return .bytes(values.map { UInt8($0) }) }
                return .string(String(String.UnicodeScalarView(values.map { Unicode.Scalar($0)! })))
            }
        }
        var word = ""
        while let scalar = peek(), scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) || scalar == "_" {
            word.unicodeScalars.append(advance())
        }
        switch word {
        case "true", "false", "null", "in": return .symbol(word)
        default: return .identifier(word)
        }
    }

    private mutating func lexNumber() throws(CELSyntaxError) -> CELToken.Kind {
        let start = position
        if peek() == "0", peek(1) == "x" || peek(1) == "X" {
            _ = advance()
            _ = advance()
            var digits = ""
            while let scalar = peek(), scalar.properties.isASCIIHexDigit { digits.unicodeScalars.append(advance()) }
            return try integer(digits, radix: 16, at: start)
        }
        var text = ""
        var isDouble = false
        while let scalar = peek(), ("0"..."9").contains(scalar) { text.unicodeScalars.append(advance()) }
        if peek() == ".", let next = peek(1), ("0"..."9").contains(next) {
            isDouble = true
            text.unicodeScalars.append(advance())
            while let scalar = peek(), ("0"..."9").contains(scalar) { text.unicodeScalars.append(advance()) }
        }
        if peek() == "e" || peek() == "E" {
            var ahead = 1
            if peek(ahead) == "+" || peek(ahead) == "-" { ahead += 1 }
            if let digit = peek(ahead), ("0"..."9").contains(digit) {
                isDouble = true
                for _ in 0..<ahead { text.unicodeScalars.append(advance()) }
                while let scalar = peek(), ("0"..."9").contains(scalar) { text.unicodeScalars.append(advance()) }
            }
        }
        if isDouble {
            guard let value = Double(text) else { throw CELSyntaxError(message: "invalid double literal", position: start) }
            return .double(value)
        }
        return try integer(text, radix: 10, at: start)
    }

    private mutating func integer(_ digits: String, radix: Int, at start: CELSourcePosition) throws(CELSyntaxError) -> CELToken.Kind {
        if peek() == "u" || peek() == "U" {
            _ = advance()
            guard let value = UInt64(digits, radix: radix) else { throw CELSyntaxError(message: "invalid uint literal", position: start) }
            return .uint(value)
        }
        // The magnitude may be 2^63 when a unary minus precedes it; the parser checks the range.
        guard let value = UInt64(digits, radix: radix), value <= UInt64(Int64.max) + 1 else {
            throw CELSyntaxError(message: "invalid int literal", position: start)
        }
        return value == UInt64(Int64.max) + 1 ? .uint(value) : .int(Int64(value))
    }

    /// A quoted literal's content as code points (string) or byte values (bytes).
    private mutating func lexQuoted(raw: Bool, bytes: Bool) throws(CELSyntaxError) -> [UInt32] {
        let start = position
        let quote = advance()
        let triple = peek() == quote && peek(1) == quote
        if triple {
            _ = advance()
            _ = advance()
        }
        var values: [UInt32] = []
        while true {
            guard let scalar = peek() else { throw CELSyntaxError(message: "Syntax error: token recognition error at: '\(quote)'", position: start) }
            if scalar == quote {
                if !triple {
                    _ = advance()
                    return values
                }
                if peek(1) == quote && peek(2) == quote {
                    for _ in 0..<3 { _ = advance() }
                    return values
                }
            }
            if scalar == "\n" && !triple {
                throw CELSyntaxError(message: "Syntax error: token recognition error at: '\(quote)'", position: start)
            }
            _ = advance()
            if scalar == "\\" && !raw {
                values.append(contentsOf: try lexEscape(bytes: bytes))
            } else if bytes {
                values.append(contentsOf: String(scalar).utf8.map { UInt32($0) })
            } else {
                values.append(scalar.value)
            }
        }
    }

    private mutating func lexEscape(bytes: Bool) throws(CELSyntaxError) -> [UInt32] {
        let start = position
        guard let scalar = peek() else { throw CELSyntaxError(message: "Syntax error: invalid escape sequence", position: start) }
        _ = advance()
        let simple: [Unicode.Scalar: UInt32] = [
            "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, "\"": 34, "`": 96, "?": 63,
        ]
        if let value = simple[scalar] { return [value] }
        func digits(_ count: Int, radix: Int) throws(CELSyntaxError) -> UInt32 {
            var text = ""
            for _ in 0..<count {
                guard peek() != nil else { break }
                text.unicodeScalars.append(advance())
            }
            guard text.count == count, let value = UInt32(text, radix: radix) else {
                throw CELSyntaxError(message: "Syntax error: invalid escape sequence", position: start)
            }
            return value
        }
        let value: UInt32
        var isCodePoint = true
        switch scalar {
        case "x", "X":
            value = try digits(2, radix: 16)
            isCodePoint = !bytes
        case "u": value = try digits(4, radix: 16)
        case "U": value = try digits(8, radix: 16)
        case "0"..."3":
            index -= 1
            value = try digits(3, radix: 8)
            isCodePoint = !bytes
        default: throw CELSyntaxError(message: "Syntax error: invalid escape sequence", position: start)
        }
        if !isCodePoint { return [value] }
        guard let codePoint = Unicode.Scalar(value) else {
            throw CELSyntaxError(message: "Syntax error: invalid unicode code point", position: start)
        }
        return bytes ? String(codePoint).utf8.map { UInt32($0) } : [codePoint.value]
    }

    private mutating func lexSymbol() throws(CELSyntaxError) -> CELToken.Kind {
        let start = position
        let two = peek(1).map { String(peek()!) + String($0) }
        if let two, ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
            _ = advance()
            _ = advance()
            return .symbol(two)
        }
        let scalar = advance()
        if ".,()[]{}?:!-+*/%<>".unicodeScalars.contains(scalar) { return .symbol(String(scalar)) }
        throw CELSyntaxError(message: "Syntax error: token recognition error at: '\(scalar)'", position: start)
    }
}
