/// One lexical token of a CEL expression.
struct CELToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case int(Int64)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        case identifier(String)
        /// Punctuation and operators (`.`, `&&`, `<=`, …) and the keywords `true`, `false`, `null`, `in`.
        case symbol(String)
        case end
    }

    var kind: Kind
    /// The token's text as written, for error messages.
    var text: String
    var position: CELSourcePosition

    /// The token as ANTLR names it in cel-go's syntax errors.
    var quoted: String {
        if case .end = kind { return "'<EOF>'" }
        return "'\(text)'"
    }

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let value) = kind { return value == symbol }
        return false
    }
}

/// A syntax error at a position, collected by the lexer and parser.
struct CELSyntaxError: Error {
    var message: String
    var position: CELSourcePosition
}
