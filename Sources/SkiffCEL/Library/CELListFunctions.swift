/// Kubernetes' lists library: `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`.
enum CELListFunctions {
    typealias Overload = CELOverload

    private static func elements(_ value: CELValue, _ name: String) throws(CELEvaluationError) -> [CELValue] {
        guard case .list(let elements) = value else { throw .noSuchOverload(name) }
        return elements
    }

    private static func extreme(_ args: [CELValue], _ name: String, wantSmaller: Bool) throws(CELEvaluationError) -> CELValue {
        let list = try elements(args[0], name)
        guard var best = list.first else { throw CELEvaluationError("\(name)(list) called on an empty list") }
        for element in list.dropFirst() {
            guard let order = element.celCompare(best) else { throw .noSuchOverload(name) }
            if wantSmaller ? order < 0 : order > 0 { best = element }
        }
        return best
    }

    static var overloads: [Overload] {
        let listA = CELType.list(.parameterA)
        return [
            Overload("isSorted", member: true, [listA], .bool, cost: .walk(0)) { args throws(CELEvaluationError) in
                let list = try elements(args[0], "isSorted")
                for (left, right) in zip(list, list.dropFirst()) {
                    guard let order = left.celCompare(right) else { throw .noSuchOverload("isSorted") }
                    if order > 0 { return .bool(false) }
                }
                return .bool(true)
            },
            Overload("sum", member: true, [listA], .parameterA, cost: .walk(0)) { args throws(CELEvaluationError) in
                let list = try elements(args[0], "sum")
                guard var total = list.first else { return .int(0) }
                let plus = CELFunctionLibrary.kubernetes.candidates("_+_", member: false)
                for element in list.dropFirst() {
                    guard let overload = plus.first(where: { $0.accepts([total, element]) }) else { throw .noSuchOverload("sum") }
                    total = try overload.implementation([total, element])
                }
                return total
            },
            Overload("min", member: true, [listA], .parameterA, cost: .walk(0)) { args throws(CELEvaluationError) in
                try extreme(args, "min", wantSmaller: true)
            },
            Overload("max", member: true, [listA], .parameterA, cost: .walk(0)) { args throws(CELEvaluationError) in
                try extreme(args, "max", wantSmaller: false)
            },
            Overload("indexOf", member: true, [listA, .parameterA], .int, cost: .walk(0)) { args throws(CELEvaluationError) in
                .int(Int64(try elements(args[0], "indexOf").firstIndex { $0.celEquals(args[1]) } ?? -1))
            },
            Overload("lastIndexOf", member: true, [listA, .parameterA], .int, cost: .walk(0)) { args throws(CELEvaluationError) in
                .int(Int64(try elements(args[0], "lastIndexOf").lastIndex { $0.celEquals(args[1]) } ?? -1))
            },
        ]
    }
}
