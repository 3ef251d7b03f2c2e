/// Overload resolution: unifies argument types with each candidate's parameters (type
/// parameters bind; `dyn` matches anything; `null` is assignable to any type) and takes the
/// result type from the first overload that fits.
extension CELChecker {
    mutating func checkCall(_ function: String, target: CELExpr?, arguments: [CELExpr], at expression: CELExpr) -> CELType {
        let targetType = target.map { check($0) }
        let argumentTypes = arguments.map { check($0) }
        switch function {
        case "_&&_", "_||_", "!_":
            return checkLogical(function, argumentTypes, at: expression)
        case "_==_", "_!=_":
            if var bindings = Optional([String: CELType]()), Self.unify(argumentTypes[0], argumentTypes[1], &bindings) || Self.unify(argumentTypes[1], argumentTypes[0], &bindings) {
                return .bool
            }
            report("found no matching overload for '\(function)' applied to '(\(argumentTypes[0]), \(argumentTypes[1]))'", at: expression)
            return .bool
        case "_?_:_":
            if !argumentTypes[0].isDyn, !argumentTypes[0].isSame(as: .bool) {
                report("found no matching overload for '_?_:_' applied to '(\(argumentTypes.map(\.description).joined(separator: ", ")))'", at: expression)
            }
            var bindings: [String: CELType] = [:]
            if Self.unify(argumentTypes[1], argumentTypes[2], &bindings) || argumentTypes[1].kind.isNull { return argumentTypes[2] }
            if argumentTypes[2].kind.isNull { return argumentTypes[1] }
            report("found no matching overload for '_?_:_' applied to '(\(argumentTypes.map(\.description).joined(separator: ", ")))'", at: expression)
            return .dyn
        default:
            break
        }
        let allTypes = (targetType.map { [$0] } ?? []) + argumentTypes
        let candidates = library.candidates(function, member: target != nil).filter { $0.parameters.count == allTypes.count }
        var results: [CELType] = []
        for overload in candidates {
            var bindings: [String: CELType] = [:]
            if zip(overload.parameters, allTypes).allSatisfy({ Self.unify($0, $1, &bindings) }) {
                results.append(Self.substitute(overload.result, bindings))
            }
        }
        if let first = results.first {
            // Several overloads fit when arguments are dyn: the result is dyn unless they agree.
            return results.allSatisfy { $0.isSame(as: first) } ? first : .dyn
        }
        if !library.declares(function) {
            report("undeclared reference to '\(function)' (in container '')", at: expression)
            return .dyn
        }
        let listed = argumentTypes.map(\.description).joined(separator: ", ")
        let signature = targetType.map { "\($0).(\(listed))" } ?? "(\(listed))"
        report("found no matching overload for '\(function)' applied to '\(signature)'", at: expression)
        return .dyn
    }

    private mutating func checkLogical(_ function: String, _ types: [CELType], at expression: CELExpr) -> CELType {
        if !types.allSatisfy({ $0.isDyn || $0.isSame(as: .bool) }) {
            report("found no matching overload for '\(function)' applied to '(\(types.map(\.description).joined(separator: ", ")))'", at: expression)
        }
        return .bool
    }

    /// Whether `argument` fits `parameter`, binding type parameters.
    static func unify(_ parameter: CELType, _ argument: CELType, _ bindings: inout [String: CELType]) -> Bool {
        switch (parameter.kind, argument.kind) {
        case (.dyn, _), (_, .dyn): return true
        case (.parameter(let name), _):
            if let bound = bindings[name] {
                if bound.isDyn || bound.kind.isNull {
                    bindings[name] = argument
                    return true
                }
                return argument.kind.isNull || unify(bound, argument, &bindings)
            }
            bindings[name] = argument
            return true
        case (_, .null): return true
        case (.list(let element), .list(let argumentElement)): return unify(element, argumentElement, &bindings)
        case (.map(let key, let value), .map(let argumentKey, let argumentValue)):
            return unify(key, argumentKey, &bindings) && unify(value, argumentValue, &bindings)
        case (.type(let inner), .type(let argumentInner)): return unify(inner, argumentInner, &bindings)
        case (.optional(let inner), .optional(let argumentInner)): return unify(inner, argumentInner, &bindings)
        default: return parameter.isSame(as: argument)
        }
    }

    /// `type` with bound parameters replaced (unbound ones become `dyn`).
    static func substitute(_ type: CELType, _ bindings: [String: CELType]) -> CELType {
        switch type.kind {
        case .parameter(let name): return bindings[name] ?? .dyn
        case .list(let element): return CELType(.list(substitute(element, bindings)), maxSize: type.maxSize)
        case .map(let key, let value): return CELType(.map(key: substitute(key, bindings), value: substitute(value, bindings)), maxSize: type.maxSize)
        case .type(let inner): return CELType(.type(substitute(inner, bindings)))
        default: return type
        }
    }
}
