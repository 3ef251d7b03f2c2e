/// The type checker: assigns a type to every node of an expression against declared variables
/// and the function library, reporting undeclared references, undefined fields and calls no
/// overload accepts, in cel-go's words.
struct CELChecker {
    let library: CELFunctionLibrary
    private var scopes: [[String: CELType]]
    private(set) var types: [Int: CELType] = [:]
    private(set) var issues: [CELCompileError.Issue] = []

    init(variables: [String: CELType], library: CELFunctionLibrary) {
        self.library = library
        scopes = [variables]
    }

    mutating func report(_ message: String, at expression: CELExpr) {
        issues.append(.init(message: message, line: expression.position.line, column: expression.position.column))
    }

    private func lookup(_ name: String) -> CELType? {
        for scope in scopes.reversed() {
            if let type = scope[name] { return type }
        }
        return nil
    }

    @discardableResult
    mutating func check(_ expression: CELExpr) -> CELType {
        let type = infer(expression)
        types[expression.id] = type
        return type
    }

    private mutating func infer(_ expression: CELExpr) -> CELType {
        switch expression.kind {
        case .literal(let literal):
            switch literal {
            case .int: return .int
            case .uint: return .uint
            case .double: return .double
            case .string(let text): return CELType(.string, maxSize: text.unicodeScalars.count)
            case .bytes(let bytes): return CELType(.bytes, maxSize: bytes.count)
            case .bool: return .bool
            case .null: return .null
            }
        case .identifier(let name):
            if let type = lookup(name) { return type }
            if let type = Self.typeIdentifiers[name] { return CELType(.type(type)) }
            report("undeclared reference to '\(name)' (in container '')", at: expression)
            return .dyn
        case .select(let operand, let field, let test):
            let fieldType = selectType(check(operand), field: field, at: expression)
            return test ? .bool : fieldType
        case .call(let function, let target, let arguments):
            return checkCall(function, target: target, arguments: arguments, at: expression)
        case .list(let elements):
            let elementTypes = elements.map { check($0) }
            return CELType(.list(Self.join(elementTypes)), maxSize: elements.count)
        case .map(let entries):
            var keys: [CELType] = []
            var values: [CELType] = []
            for entry in entries {
                let key = check(entry.key)
                switch key.kind {
                case .string, .int, .uint, .bool, .dyn: break
                default: report("unsupported map key type: \(key)", at: entry.key)
                }
                keys.append(key)
                values.append(check(entry.value))
            }
            return CELType(.map(key: Self.join(keys), value: Self.join(values)), maxSize: entries.count)
        case .comprehension(let comprehension):
            return checkComprehension(comprehension, at: expression)
        }
    }

    /// The common type of literal elements: the shared type, else `dyn`.
    private static func join(_ types: [CELType]) -> CELType {
        guard let first = types.first(where: { !($0.kind.isNull) }) else { return types.first ?? .dyn }
        return types.allSatisfy({ $0.isSame(as: first) || $0.kind.isNull }) ? first : .dyn
    }

    static let typeIdentifiers: [String: CELType] = [
        "int": .int, "uint": .uint, "double": .double, "bool": .bool, "string": .string, "bytes": .bytes,
        "null_type": .null, "list": .list(.dyn), "map": .map(.dyn, .dyn), "type": CELType(.type(.dyn)), "dyn": .dyn,
        "google.protobuf.Duration": .duration, "google.protobuf.Timestamp": .timestamp,
    ]

    private mutating func selectType(_ operand: CELType, field: String, at expression: CELExpr) -> CELType {
        switch operand.kind {
        case .object(let object):
            if let type = object.fields[field] { return type }
            report("undefined field '\(field)'", at: expression)
            return .dyn
        case .map(let key, let value):
            if case .string = key.kind { return value }
            if key.isDyn { return value }
            report("type '\(operand)' does not support field selection", at: expression)
            return .dyn
        case .dyn: return .dyn
        default:
            report("type '\(operand)' does not support field selection", at: expression)
            return .dyn
        }
    }

    private mutating func checkComprehension(_ comprehension: CELExpr.Comprehension, at expression: CELExpr) -> CELType {
        let rangeType = check(comprehension.range)
        let elementType: CELType
        switch rangeType.kind {
        case .list(let element): elementType = element
        case .map(let key, _): elementType = key
        case .dyn: elementType = .dyn
        default:
            report("expression of type '\(rangeType)' cannot be range of a comprehension (must be list, map, or dynamic)", at: comprehension.range)
            elementType = .dyn
        }
        scopes.append([comprehension.variable: elementType])
        defer { scopes.removeLast() }
        if let predicate = comprehension.predicate {
            let predicateType = check(predicate)
            if !predicateType.isDyn, !predicateType.isSame(as: .bool) {
                report("found no matching overload for '_&&_' applied to '(bool, \(predicateType))'", at: predicate)
            }
        }
        switch comprehension.kind {
        case .all, .exists, .existsOne: return .bool
        case .filter: return CELType(.list(elementType), maxSize: rangeType.maxSize)
        case .map:
            let transformed = comprehension.transform.map { check($0) } ?? .dyn
            return CELType(.list(transformed), maxSize: rangeType.maxSize)
        }
    }
}

extension CELType.Kind {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
