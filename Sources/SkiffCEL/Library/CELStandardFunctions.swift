/// The standard operators and functions: arithmetic with overflow errors, comparisons, `in`,
/// `size`, string predicates and `matches`.
enum CELStandardFunctions {
    typealias Overload = CELOverload

    static var overloads: [Overload] { arithmetic + comparisons + others }

    private static func failure(_ message: String) -> CELEvaluationError { CELEvaluationError(message) }

    private static var arithmetic: [Overload] {
        let int = CELType.int, uint = CELType.uint, double = CELType.double
        return [
            Overload("_+_", [int, int], int) { args throws(CELEvaluationError) in
                guard case .int(let a) = args[0], case .int(let b) = args[1] else { throw .noSuchOverload("_+_") }
                let (sum, overflow) = a.addingReportingOverflow(b)
                if overflow { throw .overflow }
                return .int(sum)
            },
            Overload("_+_", [uint, uint], uint) { args throws(CELEvaluationError) in
                guard case .uint(let a) = args[0], case .uint(let b) = args[1] else { throw .noSuchOverload("_+_") }
                let (sum, overflow) = a.addingReportingOverflow(b)
                if overflow { throw .overflow }
                return .uint(sum)
            },
            Overload("_+_", [double, double], double) { args throws(CELEvaluationError) in
                guard case .double(let a) = args[0], case .double(let b) = args[1] else { throw .noSuchOverload("_+_") }
                return .double(a + b)
            },
            Overload("_+_", [.string, .string], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                guard case .string(let a) = args[0], case .string(let b) = args[1] else { throw .noSuchOverload("_+_") }
                return .string(a + b)
            },
            Overload("_+_", [.bytes, .bytes], .bytes) { args throws(CELEvaluationError) in
                guard case .bytes(let a) = args[0], case .bytes(let b) = args[1] else { throw .noSuchOverload("_+_") }
                return .bytes(a + b)
            },
            Overload("_+_", [.list(.parameterA), .list(.parameterA)], .list(.parameterA), cost: .traverse(0)) { args throws(CELEvaluationError) in
                guard case .list(let a) = args[0], case .list(let b) = args[1] else { throw .noSuchOverload("_+_") }
                return .list(a + b)
            },
            Overload("_+_", [.timestamp, .duration], .timestamp) { args throws(CELEvaluationError) in
                guard case .timestamp(let t) = args[0], case .duration(let d) = args[1] else { throw .noSuchOverload("_+_") }
                return try CELTimeFunctions.add(t, d)
            },
            Overload("_+_", [.duration, .timestamp], .timestamp) { args throws(CELEvaluationError) in
                guard case .duration(let d) = args[0], case .timestamp(let t) = args[1] else { throw .noSuchOverload("_+_") }
                return try CELTimeFunctions.add(t, d)
            },
            Overload("_+_", [.duration, .duration], .duration) { args throws(CELEvaluationError) in
                guard case .duration(let a) = args[0], case .duration(let b) = args[1] else { throw .noSuchOverload("_+_") }
                return try CELTimeFunctions.checked(a + b)
            },
            Overload("_-_", [int, int], int) { args throws(CELEvaluationError) in
                guard case .int(let a) = args[0], case .int(let b) = args[1] else { throw .noSuchOverload("_-_") }
                let (difference, overflow) = a.subtractingReportingOverflow(b)
                if overflow { throw .overflow }
                return .int(difference)
            },
            Overload("_-_", [uint, uint], uint) { args throws(CELEvaluationError) in
                guard case .uint(let a) = args[0], case .uint(let b) = args[1] else { throw .noSuchOverload("_-_") }
                let (difference, overflow) = a.subtractingReportingOverflow(b)
                if overflow { throw .overflow }
                return .uint(difference)
            },
            Overload("_-_", [double, double], double) { args throws(CELEvaluationError) in
                guard case .double(let a) = args[0], case .double(let b) = args[1] else { throw .noSuchOverload("_-_") }
                return .double(a - b)
            },
            Overload("_-_", [.timestamp, .timestamp], .duration) { args throws(CELEvaluationError) in
                guard case .timestamp(let a) = args[0], case .timestamp(let b) = args[1] else { throw .noSuchOverload("_-_") }
                return try CELTimeFunctions.checked(CELTimeFunctions.nanos(a) - CELTimeFunctions.nanos(b))
            },
            Overload("_-_", [.timestamp, .duration], .timestamp) { args throws(CELEvaluationError) in
                guard case .timestamp(let t) = args[0], case .duration(let d) = args[1] else { throw .noSuchOverload("_-_") }
                return try CELTimeFunctions.add(t, -d)
            },
            Overload("_-_", [.duration, .duration], .duration) { args throws(CELEvaluationError) in
                guard case .duration(let a) = args[0], case .duration(let b) = args[1] else { throw .noSuchOverload("_-_") }
                return try CELTimeFunctions.checked(a - b)
            },
            Overload("_*_", [int, int], int) { args throws(CELEvaluationError) in
                guard case .int(let a) = args[0], case .int(let b) = args[1] else { throw .noSuchOverload("_*_") }
                let (product, overflow) = a.multipliedReportingOverflow(by: b)
                if overflow { throw .overflow }
                return .int(product)
            },
            Overload("_*_", [uint, uint], uint) { args throws(CELEvaluationError) in
                guard case .uint(let a) = args[0], case .uint(let b) = args[1] else { throw .noSuchOverload("_*_") }
                let (product, overflow) = a.multipliedReportingOverflow(by: b)
                if overflow { throw .overflow }
                return .uint(product)
            },
            Overload("_*_", [double, double], double) { args throws(CELEvaluationError) in
                guard case .double(let a) = args[0], case .double(let b) = args[1] else { throw .noSuchOverload("_*_") }
                return .double(a * b)
            },
            Overload("_/_", [int, int], int) { args throws(CELEvaluationError) in
                guard case .int(let a) = args[0], case .int(let b) = args[1] else { throw .noSuchOverload("_/_") }
                if b == 0 { throw failure("division by zero") }
                let (quotient, overflow) = a.dividedReportingOverflow(by: b)
                if overflow { throw .overflow }
                return .int(quotient)
            },
            Overload("_/_", [uint, uint], uint) { args throws(CELEvaluationError) in
                guard case .uint(let a) = args[0], case .uint(let b) = args[1] else { throw .noSuchOverload("_/_") }
                if b == 0 { throw failure("division by zero") }
                return .uint(a / b)
            },
            Overload("_/_", [double, double], double) { args throws(CELEvaluationError) in
                guard case .double(let a) = args[0], case .double(let b) = args[1] else { throw .noSuchOverload("_/_") }
                return .double(a / b)
            },
            Overload("_%_", [int, int], int) { args throws(CELEvaluationError) in
                guard case .int(let a) = args[0], case .int(let b) = args[1] else { throw .noSuchOverload("_%_") }
                if b == 0 { throw failure("modulus by zero") }
                let (remainder, overflow) = a.remainderReportingOverflow(dividingBy: b)
                if overflow { throw .overflow }
                return .int(remainder)
            },
            Overload("_%_", [uint, uint], uint) { args throws(CELEvaluationError) in
                guard case .uint(let a) = args[0], case .uint(let b) = args[1] else { throw .noSuchOverload("_%_") }
                if b == 0 { throw failure("modulus by zero") }
                return .uint(a % b)
            },
            Overload("-_", [int], int) { args throws(CELEvaluationError) in
                guard case .int(let a) = args[0] else { throw .noSuchOverload("-_") }
                if a == .min { throw .overflow }
                return .int(-a)
            },
            Overload("-_", [double], double) { args throws(CELEvaluationError) in
                guard case .double(let a) = args[0] else { throw .noSuchOverload("-_") }
                return .double(-a)
            },
            Overload("-_", [.duration], .duration) { args throws(CELEvaluationError) in
                guard case .duration(let a) = args[0] else { throw .noSuchOverload("-_") }
                return .duration(-a)
            },
        ]
    }

    /// Orderable type pairs: same-kind pairs plus CEL's cross-kind numeric comparisons.
    private static var orderedPairs: [(CELType, CELType)] {
        let numbers: [CELType] = [.int, .uint, .double]
        var pairs = numbers.flatMap { left in numbers.map { (left, $0) } }
        pairs += [CELType.string, .bytes, .bool, .timestamp, .duration].map { ($0, $0) }
        return pairs
    }

    private static var comparisons: [Overload] {
        let tests: [(String, @Sendable (Int) -> Bool)] = [
            ("_<_", { $0 == -1 }), ("_<=_", { $0 == -1 || $0 == 0 }), ("_>_", { $0 == 1 }), ("_>=_", { $0 == 1 || $0 == 0 }),
        ]
        return tests.flatMap { name, test in
            orderedPairs.map { left, right in
                Overload(name, [left, right], .bool, cost: .traverse(0)) { args throws(CELEvaluationError) in
                    guard let order = args[0].celCompare(args[1]) else { throw .noSuchOverload(name) }
                    return .bool(test(order))
                }
            }
        }
    }

    private static var others: [Overload] {
        [
            Overload("!_", [.bool], .bool) { args throws(CELEvaluationError) in
                guard case .bool(let flag) = args[0] else { throw .noSuchOverload("!_") }
                return .bool(!flag)
            },
            Overload("@in", [.parameterA, .list(.parameterA)], .bool, cost: .traverse(1)) { args throws(CELEvaluationError) in
                guard case .list(let elements) = args[1] else { throw .noSuchOverload("@in") }
                return .bool(elements.contains { $0.celEquals(args[0]) })
            },
            Overload("@in", [.parameterA, .map(.parameterA, .parameterB)], .bool) { args throws(CELEvaluationError) in
                guard case .map(let map) = args[1] else { throw .noSuchOverload("@in") }
                return .bool(map[args[0]] != nil)
            },
            Overload("_[_]", [.list(.parameterA), .int], .parameterA) { args throws(CELEvaluationError) in try index(args) },
            Overload("_[_]", [.list(.parameterA), .uint], .parameterA) { args throws(CELEvaluationError) in try index(args) },
            Overload("_[_]", [.list(.parameterA), .double], .parameterA) { args throws(CELEvaluationError) in try index(args) },
            Overload("_[_]", [.map(.parameterA, .parameterB), .parameterA], .parameterB) { args throws(CELEvaluationError) in try index(args) },
            Overload("size", [.string], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            Overload("size", [.bytes], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            Overload("size", [.list(.parameterA)], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            Overload("size", [.map(.parameterA, .parameterB)], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            Overload("size", member: true, [.string], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            Overload("size", member: true, [.bytes], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            Overload("size", member: true, [.list(.parameterA)], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            Overload("size", member: true, [.map(.parameterA, .parameterB)], .int) { args throws(CELEvaluationError) in try size(args[0]) },
            stringPredicate("contains") { $0.contains($1) },
            stringPredicate("startsWith") { $0.unicodeScalars.starts(with: $1.unicodeScalars) },
            stringPredicate("endsWith") { $0.unicodeScalars.reversed().starts(with: $1.unicodeScalars.reversed()) },
            Overload("matches", member: true, [.string, .string], .bool, cost: .regex) { args throws(CELEvaluationError) in try matches(args) },
            Overload("matches", [.string, .string], .bool, cost: .regex) { args throws(CELEvaluationError) in try matches(args) },
        ]
    }

    private static func stringPredicate(_ name: String, _ test: @escaping @Sendable (String, String) -> Bool) -> Overload {
        Overload(name, member: true, [.string, .string], .bool, cost: .product(0, 1)) { args throws(CELEvaluationError) in
            guard case .string(let text) = args[0], case .string(let part) = args[1] else { throw .noSuchOverload(name) }
            return .bool(part.isEmpty || test(text, part))
        }
    }

    private static func matches(_ args: [CELValue]) throws(CELEvaluationError) -> CELValue {
        guard case .string(let text) = args[0], case .string(let pattern) = args[1] else { throw .noSuchOverload("matches") }
        return .bool(try CELRegex.cached(pattern).firstMatch(in: text) != nil)
    }

    static func size(_ value: CELValue) throws(CELEvaluationError) -> CELValue {
        switch value {
        case .string(let text): .int(Int64(text.unicodeScalars.count))
        case .bytes(let bytes): .int(Int64(bytes.count))
        case .list(let elements): .int(Int64(elements.count))
        case .map(let map): .int(Int64(map.count))
        default: throw .noSuchOverload("size")
        }
    }

    private static func index(_ args: [CELValue]) throws(CELEvaluationError) -> CELValue {
        switch args[0] {
        case .list(let elements):
            let position: Int64
            switch args[1] {
            case .int(let value): position = value
            case .uint(let value): position = Int64(clamping: value)
            case .double(let value):
                guard let exact = Int64(exactly: value) else { throw failure("unsupported index value") }
                position = exact
            default: throw .noSuchOverload("_[_]")
            }
            guard position >= 0, position < elements.count else { throw failure("index out of bounds: \(position)") }
            return elements[Int(position)]
        case .map(let map):
            guard let value = map[args[1]] else { throw failure("no such key: \(args[1].keyDescription)") }
            return value
        default: throw .noSuchOverload("_[_]")
        }
    }
}

extension CELValue {
    /// A key as cel-go prints it in `no such key` errors.
    var keyDescription: String {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .uint(let number): String(number)
        case .bool(let flag): String(flag)
        case .double(let number): String(number)
        default: typeName
        }
    }
}

/// The optional values of `oldSelf` under `optionalOldSelf`: `hasValue()`, `value()`, `orValue()`.
enum CELOptionalFunctions {
    static var overloads: [CELOverload] {
        let optionalA = CELType(.optional(.parameterA))
        return [
            CELOverload("hasValue", member: true, [optionalA], .bool) { args throws(CELEvaluationError) in
                guard case .optional(let box) = args[0] else { throw .noSuchOverload("hasValue") }
                return .bool(box != nil)
            },
            CELOverload("value", member: true, [optionalA], .parameterA) { args throws(CELEvaluationError) in
                guard case .optional(let box) = args[0] else { throw .noSuchOverload("value") }
                guard let box else { throw CELEvaluationError("optional.none() dereference") }
                return box.value
            },
            CELOverload("orValue", member: true, [optionalA, .parameterA], .parameterA) { args throws(CELEvaluationError) in
                guard case .optional(let box) = args[0] else { throw .noSuchOverload("orValue") }
                return box?.value ?? args[1]
            },
        ]
    }
}
