/// The worst-case cost of an expression, computed from the checked types' size bounds the way
/// the evaluator charges at runtime: a comprehension costs its range's largest size times its
/// body; string and list functions cost in proportion to the largest sizes of their arguments.
/// Values with no known bound are sized by what fits in one request.
struct CELCostEstimator {
    let types: [Int: CELType]
    let library: CELFunctionLibrary

    private static let unboundedSize = Double(CELSchema.maxRequestSizeBytes)

    private func size(_ expression: CELExpr) -> Double {
        types[expression.id]?.maxSize.map(Double.init) ?? Self.unboundedSize
    }

    func estimate(_ expression: CELExpr) -> Double {
        switch expression.kind {
        case .literal: return 0
        case .identifier: return 1
        case .select(let operand, _, _): return 1 + estimate(operand)
        case .list(let elements): return 10 + elements.reduce(0) { $0 + estimate($1) }
        case .map(let entries): return 30 + entries.reduce(0) { $0 + estimate($1.key) + estimate($1.value) }
        case .comprehension(let comprehension):
            let body = 1 + (comprehension.predicate.map(estimate) ?? 0) + (comprehension.transform.map(estimate) ?? 0)
            return estimate(comprehension.range) + size(comprehension.range) * body
        case .call(let function, let target, let arguments):
            let operands = (target.map { [$0] } ?? []) + arguments
            let operandCost = operands.reduce(0) { $0 + estimate($1) }
            switch function {
            case "_&&_", "_||_", "_?_:_": return operandCost
            case "_==_", "_!=_": return operandCost + 1 + (size(operands[0]) * 0.1).rounded(.up)
            default: break
            }
            let overload = library.candidates(function, member: target != nil).first { $0.parameters.count == operands.count }
            return operandCost + 1 + callCost(overload?.cost ?? .constant, operands)
        }
    }

    private func callCost(_ cost: CELOverload.Cost, _ operands: [CELExpr]) -> Double {
        switch cost {
        case .constant: return 0
        case .traverse(let index): return (size(operands[index]) * 0.1).rounded(.up)
        case .product(let left, let right): return (size(operands[left]) * size(operands[right]) * 0.1).rounded(.up)
        case .regex: return (size(operands[0]) * 0.1).rounded(.up) * (size(operands[1]) * 0.25).rounded(.up)
        case .walk(let index): return size(operands[index])
        }
    }
}
