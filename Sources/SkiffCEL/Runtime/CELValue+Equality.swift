/// CEL's equality (heterogeneous for numbers: `1 == 1u`, `1 == 1.0`; values of different kinds
/// are unequal) and ordering (numbers across kinds, strings by code point, bytes, bools,
/// timestamps, durations).
extension CELValue {
    /// CEL equality.
    public func celEquals(_ other: CELValue) -> Bool {
        switch (self, other) {
        case (.bool(let left), .bool(let right)): return left == right
        case (.string(let left), .string(let right)): return left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.bytes(let left), .bytes(let right)): return left == right
        case (.null, .null): return true
        case (.duration(let left), .duration(let right)): return left == right
        case (.timestamp(let left), .timestamp(let right)): return left == right
        case (.quantity(let left), .quantity(let right)): return left.nanos == right.nanos
        case (.type(let left), .type(let right)): return left == right
        case (.list(let left), .list(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.celEquals($1) }
        case (.map(let left), .map(let right)):
            guard left.count == right.count else { return false }
            return left.entries.allSatisfy { entry in right[entry.key].map { $0.celEquals(entry.value) } ?? false }
        case (.optional(let left), .optional(let right)):
            switch (left, right) {
            case (nil, nil): return true
            case (let left?, let right?): return left.value.celEquals(right.value)
            default: return false
            }
        default:
            if let order = numericOrder(other) { return order == 0 }
            return false
        }
    }

    /// -1, 0 or 1 for two numbers of any kinds; nil when either is not a number or either is NaN.
    func numericOrder(_ other: CELValue) -> Int? {
        func sign<T: Comparable>(_ left: T, _ right: T) -> Int { left < right ? -1 : (left == right ? 0 : 1) }
        switch (self, other) {
        case (.int(let left), .int(let right)): return sign(left, right)
        case (.uint(let left), .uint(let right)): return sign(left, right)
        case (.double(let left), .double(let right)):
            return left.isNaN || right.isNaN ? nil : sign(left, right)
        case (.int(let left), .uint(let right)): return left < 0 ? -1 : sign(UInt64(left), right)
        case (.uint, .int): return other.numericOrder(self).map { -$0 }
        case (.int(let left), .double(let right)): return Self.compare(Double(exactly: left), Int128(left), right)
        case (.uint(let left), .double(let right)): return Self.compare(Double(exactly: left), Int128(left), right)
        case (.double, .int), (.double, .uint): return other.numericOrder(self).map { -$0 }
        default: return nil
        }
    }

    /// Compares an integer (given exactly as Int128, and as a Double when exact) with a double.
    private static func compare(_ exact: Double?, _ integer: Int128, _ double: Double) -> Int? {
        if double.isNaN { return nil }
        if let exact { return exact < double ? -1 : (exact == double ? 0 : 1) }
        if double >= 1.8e19 { return -1 }
        if double <= -1e19 { return 1 }
        let truncated = Int128(double.rounded(.towardZero))
        if integer != truncated { return integer < truncated ? -1 : 1 }
        let fraction = double - double.rounded(.towardZero)
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// CEL ordering: nil when the two values cannot be ordered (no such overload).
    func celCompare(_ other: CELValue) -> Int? {
        func sign<T: Comparable>(_ left: T, _ right: T) -> Int { left < right ? -1 : (left == right ? 0 : 1) }
        switch (self, other) {
        case (.string(let left), .string(let right)):
            if left.unicodeScalars.elementsEqual(right.unicodeScalars) { return 0 }
            return left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars, by: { $0.value < $1.value }) ? -1 : 1
        case (.bytes(let left), .bytes(let right)):
            if left == right { return 0 }
            return left.lexicographicallyPrecedes(right) ? -1 : 1
        case (.bool(let left), .bool(let right)): return left == right ? 0 : (left ? 1 : -1)
        case (.timestamp(let left), .timestamp(let right)): return sign(left, right)
        case (.duration(let left), .duration(let right)): return sign(left, right)
        case (.double(let left), .double(let right)) where left.isNaN || right.isNaN: return 2  // unordered: every comparison is false
        default: return numericOrder(other)
        }
    }
}
