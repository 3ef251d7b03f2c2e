/// A recursive-descent parser for cel-spec's grammar, with CEL's precedence (`?:`, `||`, `&&`,
/// relations and `in`, `+ -`, `* / %`, unary `! -`, member access) and the standard macros
/// expanded as they are parsed.
struct CELParser {
    static let maxRecursionDepth = 250

    private var tokens: [CELToken]
    private var index = 0
    private var nextID = 1
    private var depth = 0

    init(tokens: [CELToken]) { self.tokens = tokens }

    /// Parses a whole expression.
    static func parse(_ source: String) throws(CELSyntaxError) -> CELExpr {
        var lexer = CELLexer(source)
        var parser = CELParser(tokens: try lexer.tokenize())
        let expression = try parser.parseExpression()
        guard case .end = parser.current.kind else {
            throw CELSyntaxError(message: "Syntax error: extraneous input \(parser.current.quoted) expecting <EOF>", position: parser.current.position)
        }
        return expression
    }

    private var current: CELToken { tokens[index] }

    private mutating func advance() -> CELToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func accept(_ symbol: String) -> CELToken? {
        current.isSymbol(symbol) ? advance() : nil
    }

    private mutating func expect(_ symbol: String) throws(CELSyntaxError) -> CELToken {
        guard let token = accept(symbol) else {
            throw CELSyntaxError(message: "Syntax error: mismatched input \(current.quoted) expecting '\(symbol)'", position: current.position)
        }
        return token
    }

    private mutating func node(_ kind: CELExpr.Kind, at position: CELSourcePosition) -> CELExpr {
        defer { nextID += 1 }
        return CELExpr(id: nextID, kind: kind, position: position)
    }

    private mutating func call(_ function: String, _ arguments: [CELExpr], at position: CELSourcePosition) -> CELExpr {
        node(.call(function: function, target: nil, arguments: arguments), at: position)
    }

    private mutating func parseExpression() throws(CELSyntaxError) -> CELExpr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxRecursionDepth else {
            throw CELSyntaxError(message: "Syntax error: expression recursion limit exceeded: \(Self.maxRecursionDepth)", position: current.position)
        }
        let condition = try parseBinary(level: 0)
        guard let question = accept("?") else { return condition }
        let whenTrue = try parseBinary(level: 0)
        _ = try expect(":")
        let whenFalse = try parseExpression()
        return call("_?_:_", [condition, whenTrue, whenFalse], at: question.position)
    }

    private static let levels: [[String: String]] = [
        ["||": "_||_"],
        ["&&": "_&&_"],
        ["==": "_==_", "!=": "_!=_", "<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_", "in": "@in"],
        ["+": "_+_", "-": "_-_"],
        ["*": "_*_", "/": "_/_", "%": "_%_"],
    ]

    private mutating func parseBinary(level: Int) throws(CELSyntaxError) -> CELExpr {
        guard level < Self.levels.count else { return try parseUnary() }
        var left = try parseBinary(level: level + 1)
        while case .symbol(let symbol) = current.kind, let function = Self.levels[level][symbol] {
            let operatorToken = advance()
            let right = try parseBinary(level: level + 1)
            left = call(function, [left, right], at: operatorToken.position)
        }
        return left
    }

    private mutating func parseUnary() throws(CELSyntaxError) -> CELExpr {
        if let bang = accept("!") {
            return call("!_", [try parseUnary()], at: bang.position)
        }
        if let minus = accept("-") {
            // A negative literal folds into the literal (so that -9223372036854775808 is an int).
            switch current.kind {
            case .int(let value) where !tokens[index + 1].isSymbol(".") && !tokens[index + 1].isSymbol("["):
                _ = advance()
                return node(.literal(.int(-value)), at: minus.position)
            case .uint(let value) where !current.text.lowercased().hasSuffix("u") && value == UInt64(Int64.max) + 1:
                _ = advance()
                return node(.literal(.int(Int64.min)), at: minus.position)
            case .double(let value) where !tokens[index + 1].isSymbol(".") && !tokens[index + 1].isSymbol("["):
                _ = advance()
                return node(.literal(.double(-value)), at: minus.position)
            default:
                return call("-_", [try parseUnary()], at: minus.position)
            }
        }
        return try parseMember()
    }

    private mutating func parseMember() throws(CELSyntaxError) -> CELExpr {
        var operand = try parsePrimary()
        while true {
            if let dot = accept(".") {
                guard case .identifier(let name) = current.kind else {
                    throw CELSyntaxError(message: "Syntax error: mismatched input \(current.quoted) expecting IDENTIFIER", position: current.position)
                }
                _ = advance()
                if let open = accept("(") {
                    let arguments = try parseArguments(closing: ")")
                    operand = try receiverCall(name, target: operand, arguments: arguments, at: open.position)
                } else {
                    operand = node(.select(operand: operand, field: name, test: false), at: dot.position)
                }
            } else if let open = accept("[") {
                let key = try parseExpression()
                _ = try expect("]")
                operand = call("_[_]", [operand, key], at: open.position)
            } else {
                return operand
            }
        }
    }

    private mutating func parseArguments(closing: String) throws(CELSyntaxError) -> [CELExpr] {
        var arguments: [CELExpr] = []
        if accept(closing) != nil { return arguments }
        while true {
            arguments.append(try parseExpression())
            if accept(closing) != nil { return arguments }
            _ = try expect(",")
            if closing != ")", accept(closing) != nil { return arguments }
        }
    }

    private mutating func parsePrimary() throws(CELSyntaxError) -> CELExpr {
        let token = current
        switch token.kind {
        case .int(let value):
            _ = advance()
            return node(.literal(.int(value)), at: token.position)
        case .uint(let value):
            guard token.text.lowercased().hasSuffix("u") else {
                throw CELSyntaxError(message: "Syntax error: invalid int literal", position: token.position)
            }
            _ = advance()
            return node(.literal(.uint(value)), at: token.position)
        case .double(let value):
            _ = advance()
            return node(.literal(.double(value)), at: token.position)
        case .string(let value):
            _ = advance()
            return node(.literal(.string(value)), at: token.position)
        case .bytes(let value):
            _ = advance()
            return node(.literal(.bytes(value)), at: token.position)
        case .identifier(let name):
            _ = advance()
            if CELLexer.reservedWords.contains(name) {
                throw CELSyntaxError(message: "Syntax error: reserved identifier: \(name)", position: token.position)
            }
            if let open = accept("(") {
                let arguments = try parseArguments(closing: ")")
                return try globalCall(name, arguments: arguments, at: open.position)
            }
            return node(.identifier(name), at: token.position)
        case .symbol("true"), .symbol("false"):
            _ = advance()
            return node(.literal(.bool(token.text == "true")), at: token.position)
        case .symbol("null"):
            _ = advance()
            return node(.literal(.null), at: token.position)
        case .symbol("("):
            _ = advance()
            let inner = try parseExpression()
            _ = try expect(")")
            return inner
        case .symbol("["):
            _ = advance()
            return node(.list(try parseArguments(closing: "]")), at: token.position)
        case .symbol("{"):
            _ = advance()
            return try parseMapLiteral(at: token.position)
        case .symbol("."):
            _ = advance()
            guard case .identifier(let name) = current.kind else {
                throw CELSyntaxError(message: "Syntax error: mismatched input \(current.quoted) expecting IDENTIFIER", position: current.position)
            }
            _ = advance()
            return node(.identifier(name), at: token.position)
        default:
            throw CELSyntaxError(message: "Syntax error: mismatched input \(token.quoted) expecting an expression", position: token.position)
        }
    }

    private mutating func parseMapLiteral(at position: CELSourcePosition) throws(CELSyntaxError) -> CELExpr {
        var entries: [(key: CELExpr, value: CELExpr)] = []
        if accept("}") != nil { return node(.map(entries), at: position) }
        while true {
            let key = try parseExpression()
            _ = try expect(":")
            entries.append((key, try parseExpression()))
            if accept("}") != nil { break }
            _ = try expect(",")
            if accept("}") != nil { break }
        }
        return node(.map(entries), at: position)
    }

    private mutating func globalCall(_ name: String, arguments: [CELExpr], at position: CELSourcePosition) throws(CELSyntaxError) -> CELExpr {
        if name == "has" && arguments.count == 1 {
            guard case .select(let operand, let field, false) = arguments[0].kind else {
                throw CELSyntaxError(message: "invalid argument to has() macro", position: arguments[0].position)
            }
            return node(.select(operand: operand, field: field, test: true), at: position)
        }
        return call(name, arguments, at: position)
    }

    private mutating func receiverCall(_ name: String, target: CELExpr, arguments: [CELExpr], at position: CELSourcePosition) throws(CELSyntaxError) -> CELExpr {
        let macro: (CELExpr.ComprehensionKind, Int)? = switch (name, arguments.count) {
        case ("all", 2): (.all, 2)
        case ("exists", 2): (.exists, 2)
        case ("exists_one", 2): (.existsOne, 2)
        case ("filter", 2): (.filter, 2)
        case ("map", 2): (.map, 2)
        case ("map", 3): (.map, 3)
        default: nil
        }
        guard let (kind, count) = macro else {
            return node(.call(function: name, target: target, arguments: arguments), at: position)
        }
        guard case .identifier(let variable) = arguments[0].kind else {
            throw CELSyntaxError(message: "argument must be a simple name", position: arguments[0].position)
        }
        let comprehension: CELExpr.Comprehension
        switch (kind, count) {
        case (.map, 2): comprehension = .init(kind: .map, variable: variable, range: target, predicate: nil, transform: arguments[1])
        case (.map, _): comprehension = .init(kind: .map, variable: variable, range: target, predicate: arguments[1], transform: arguments[2])
        default: comprehension = .init(kind: kind, variable: variable, range: target, predicate: arguments[1], transform: nil)
        }
        return node(.comprehension(comprehension), at: position)
    }
}
