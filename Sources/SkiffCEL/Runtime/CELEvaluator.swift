/// Walks a checked expression over an activation, charging cost as it goes (1 per variable,
/// field selection, call and comprehension step, plus size-dependent costs of string and list
/// functions) and aborting once the limit is passed.
struct CELEvaluator {
    private let library: CELFunctionLibrary
    private var scopes: [[String: CELValue]]
    private let costLimit: UInt64?
    /// The cost charged so far.
    private(set) var cost: UInt64 = 0

    init(activation: [String: CELValue], library: CELFunctionLibrary, costLimit: UInt64?) {
        self.library = library
        scopes = [activation]
        self.costLimit = costLimit
    }

    private mutating func charge(_ amount: UInt64) throws(CELEvaluationError) {
        cost += amount
        if let costLimit, cost > costLimit { throw .costLimit }
    }

    private func lookup(_ name: String) -> CELValue? {
        for scope in scopes.reversed() {
            if let value = scope[name] { return value }
        }
        return nil
    }

    mutating func evaluate(_ expression: CELExpr) throws(CELEvaluationError) -> CELValue {
        switch expression.kind {
        case .literal(let literal):
            switch literal {
            case .int(let value): return .int(value)
            case .uint(let value): return .uint(value)
            case .double(let value): return .double(value)
            case .string(let value): return .string(value)
            case .bytes(let value): return .bytes(value)
            case .bool(let value): return .bool(value)
            case .null: return .null
            }
        case .identifier(let name):
            try charge(1)
            if let value = lookup(name) { return value }
            if CELChecker.typeIdentifiers[name] != nil { return .type(name) }
            throw CELEvaluationError("no such attribute: \(name)")
        case .select(let operandExpression, let field, let test):
            let operand = try evaluate(operandExpression)
            try charge(1)
            switch operand {
            case .map(let map):
                if test { return .bool(map[field] != nil) }
                guard let value = map[field] else { throw CELEvaluationError("no such key: \(field)") }
                return value
            default:
                throw CELEvaluationError("no such overload: \(test ? "has" : "select") on \(operand.typeName)", kind: .noSuchOverload)
            }
        case .call(let function, let target, let arguments):
            return try evaluateCall(function, target: target, arguments: arguments)
        case .list(let elements):
            try charge(10)
            var values: [CELValue] = []
            for element in elements { values.append(try evaluate(element)) }
            return .list(values)
        case .map(let entries):
            try charge(30)
            var map = CELMap()
            for entry in entries {
                let key = try evaluate(entry.key)
                guard map.insert(key, try evaluate(entry.value)) else {
                    if CELMap.key(key) == nil || key.isDouble { throw CELEvaluationError("unsupported key type") }
                    throw CELEvaluationError("Failed with repeated key")
                }
            }
            return .map(map)
        case .comprehension(let comprehension):
            return try evaluateComprehension(comprehension)
        }
    }

    private mutating func evaluateCall(_ function: String, target: CELExpr?, arguments: [CELExpr]) throws(CELEvaluationError) -> CELValue {
        switch function {
        case "_&&_", "_||_": return try evaluateLogical(function == "_&&_", arguments)
        case "_?_:_":
            let condition = try evaluate(arguments[0])
            guard case .bool(let flag) = condition else { throw .noSuchOverload("_?_:_") }
            return try evaluate(arguments[flag ? 1 : 2])
        case "_==_", "_!=_":
            let left = try evaluate(arguments[0])
            let right = try evaluate(arguments[1])
            try charge(1 + Self.traversalCost(left))
            return .bool(left.celEquals(right) == (function == "_==_"))
        default: break
        }
        var values: [CELValue] = []
        if let target { values.append(try evaluate(target)) }
        for argument in arguments { values.append(try evaluate(argument)) }
        let candidates = library.candidates(function, member: target != nil)
        guard let overload = candidates.first(where: { $0.accepts(values) }) else {
            if !library.declares(function) { throw CELEvaluationError("no such overload: \(function)", kind: .noSuchOverload) }
            throw .noSuchOverload(function)
        }
        try charge(1 + Self.callCost(overload.cost, values))
        return try overload.implementation(values)
    }

    /// `&&` and `||` are commutative over errors: `false && error` and `error && false` are both
    /// false; the error surfaces only when no operand decides the result.
    private mutating func evaluateLogical(_ isAnd: Bool, _ arguments: [CELExpr]) throws(CELEvaluationError) -> CELValue {
        var firstError: CELEvaluationError?
        for argument in arguments {
            do throws(CELEvaluationError) {
                let value = try evaluate(argument)
                guard case .bool(let flag) = value else { throw CELEvaluationError.noSuchOverload(isAnd ? "_&&_" : "_||_") }
                if flag != isAnd { return .bool(flag) }
            } catch let error where error.kind != .costLimitExceeded {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        return .bool(isAnd)
    }

    private mutating func evaluateComprehension(_ comprehension: CELExpr.Comprehension) throws(CELEvaluationError) -> CELValue {
        let range = try evaluate(comprehension.range)
        let elements: [CELValue]
        switch range {
        case .list(let list): elements = list
        case .map(let map): elements = map.entries.map(\.key)
        default: throw CELEvaluationError("expression of type '\(range.typeName)' cannot be range of a comprehension", kind: .noSuchOverload)
        }
        var results: [CELValue] = []
        var matches = 0
        var firstError: CELEvaluationError?
        scopes.append([:])
        defer { scopes.removeLast() }
        for element in elements {
            try charge(1)
            scopes[scopes.count - 1][comprehension.variable] = element
            var passes = true
            if let predicate = comprehension.predicate {
                do throws(CELEvaluationError) {
                    let value = try evaluate(predicate)
                    guard case .bool(let flag) = value else { throw CELEvaluationError.noSuchOverload("_&&_") }
                    passes = flag
                } catch let error where error.kind != .costLimitExceeded && (comprehension.kind == .all || comprehension.kind == .exists) {
                    // Like && and ||, a later element may still decide the result.
                    if firstError == nil { firstError = error }
                    continue
                }
            }
            switch comprehension.kind {
            case .all: if !passes { return .bool(false) }
            case .exists: if passes { return .bool(true) }
            case .existsOne: if passes { matches += 1 }
            case .filter: if passes { results.append(element) }
            case .map: if passes, let transform = comprehension.transform { results.append(try evaluate(transform)) }
            }
        }
        if let firstError { throw firstError }
        switch comprehension.kind {
        case .all: return .bool(true)
        case .exists: return .bool(false)
        case .existsOne: return .bool(matches == 1)
        case .filter, .map: return .list(results)
        }
    }

    /// The size-dependent part of a call's cost, as cel-go charges it.
    private static func callCost(_ cost: CELOverload.Cost, _ values: [CELValue]) -> UInt64 {
        switch cost {
        case .constant: return 0
        case .traverse(let index): return traversalCost(values[index])
        case .product(let left, let right):
            return UInt64((Double(size(values[left])) * Double(size(values[right])) * 0.1).rounded(.up))
        case .regex:
            return UInt64((Double(size(values[0])) * 0.1).rounded(.up) * (Double(size(values[1])) * 0.25).rounded(.up))
        case .walk(let index): return UInt64(size(values[index]))
        }
    }

    static func traversalCost(_ value: CELValue) -> UInt64 {
        UInt64((Double(size(value)) * 0.1).rounded(.up))
    }

    private static func size(_ value: CELValue) -> Int {
        switch value {
        case .string(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        case .list(let elements): elements.count
        case .map(let map): map.count
        default: 1
        }
    }
}
