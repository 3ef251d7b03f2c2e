/// Kubernetes' quantity library: `quantity()`, `isQuantity()`, comparisons by method
/// (`isLessThan`, `isGreaterThan`, `compareTo`), arithmetic (`add`, `sub`), `sign`, `isInteger`,
/// `asInteger`, `asApproximateFloat`.
enum CELQuantityFunctions {
    typealias Overload = CELOverload

    private static func quantities(_ args: [CELValue], _ name: String) throws(CELEvaluationError) -> [CELQuantity] {
        var result: [CELQuantity] = []
        for arg in args {
            switch arg {
            case .quantity(let quantity): result.append(quantity)
            case .int(let number): result.append(CELQuantity(nanos: Int128(number) * 1_000_000_000))
            default: throw .noSuchOverload(name)
            }
        }
        return result
    }

    static var overloads: [Overload] {
        let quantity = CELType.quantity
        var list = [
            Overload("quantity", [.string], quantity) { args throws(CELEvaluationError) in
                guard case .string(let text) = args[0] else { throw .noSuchOverload("quantity") }
                guard let parsed = CELQuantity(text) else { throw CELEvaluationError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") }
                return .quantity(parsed)
            },
            Overload("isQuantity", [.string], .bool) { args throws(CELEvaluationError) in
                guard case .string(let text) = args[0] else { throw .noSuchOverload("isQuantity") }
                return .bool(CELQuantity(text) != nil)
            },
            Overload("sign", member: true, [quantity], .int) { args throws(CELEvaluationError) in
                let value = try quantities(args, "sign")[0].nanos
                return .int(value > 0 ? 1 : (value < 0 ? -1 : 0))
            },
            Overload("isInteger", member: true, [quantity], .bool) { args throws(CELEvaluationError) in
                let value = try quantities(args, "isInteger")[0].nanos
                return .bool(value % 1_000_000_000 == 0 && Int64(exactly: value / 1_000_000_000) != nil)
            },
            Overload("asInteger", member: true, [quantity], .int) { args throws(CELEvaluationError) in
                let value = try quantities(args, "asInteger")[0].nanos
                guard value % 1_000_000_000 == 0, let whole = Int64(exactly: value / 1_000_000_000) else {
                    throw CELEvaluationError("cannot convert value to integer")
                }
                return .int(whole)
            },
            Overload("asApproximateFloat", member: true, [quantity], .double) { args throws(CELEvaluationError) in
                .double(Double(try quantities(args, "asApproximateFloat")[0].nanos) / 1e9)
            },
        ]
        for operand in [quantity, CELType.int] {
            list += [
                Overload("isLessThan", member: true, [quantity, operand], .bool) { args throws(CELEvaluationError) in
                    let values = try quantities(args, "isLessThan")
                    return .bool(values[0].nanos < values[1].nanos)
                },
                Overload("isGreaterThan", member: true, [quantity, operand], .bool) { args throws(CELEvaluationError) in
                    let values = try quantities(args, "isGreaterThan")
                    return .bool(values[0].nanos > values[1].nanos)
                },
                Overload("compareTo", member: true, [quantity, operand], .int) { args throws(CELEvaluationError) in
                    let values = try quantities(args, "compareTo")
                    return .int(values[0].nanos < values[1].nanos ? -1 : (values[0].nanos == values[1].nanos ? 0 : 1))
                },
                Overload("add", member: true, [quantity, operand], quantity) { args throws(CELEvaluationError) in
                    let values = try quantities(args, "add")
                    return .quantity(CELQuantity(nanos: values[0].nanos + values[1].nanos))
                },
                Overload("sub", member: true, [quantity, operand], quantity) { args throws(CELEvaluationError) in
                    let values = try quantities(args, "sub")
                    return .quantity(CELQuantity(nanos: values[0].nanos - values[1].nanos))
                },
            ]
        }
        return list
    }
}
