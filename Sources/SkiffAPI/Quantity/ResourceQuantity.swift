/// A resource quantity (`500m`, `1.5Gi`, `2e3`, `1`), parsed exactly into nano-units so that
/// quantities written differently compare as upstream's `resource.Quantity` does (`1Gi` equals
/// `1024Mi`, `0.5` equals `500m`).
public struct ResourceQuantity: Comparable, Hashable, Sendable {
    /// The value in units of 10⁻⁹, rounded up as upstream rounds sub-nano precision.
    public let nanos: Int128

    /// Parses a quantity from its JSON form (a string, or a plain number); nil when invalid or
    /// too large to represent.
    public init?(_ value: JSONValue?) {
        switch value {
        case .int(let number)?: nanos = Int128(number) * 1_000_000_000
        case .double(let number)?:
            guard let parsed = ResourceQuantity(parsing: String(number)) else { return nil }
            self = parsed
        case .string(let text)?:
            guard let parsed = ResourceQuantity(parsing: text) else { return nil }
            self = parsed
        default: return nil
        }
    }

    private init?(parsing text: String) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var mantissa: Int128 = 0
        var fractionDigits = 0
        var sawDigit = false
        var inFraction = false
        while let byte = bytes.first {
            if byte == UInt8(ascii: ".") && !inFraction {
                inFraction = true
            } else if (48...57).contains(byte) {
                sawDigit = true
                guard mantissa < Int128(10).power(20) else { return nil }  // keeps mantissa × 10⁹ in range
                mantissa = mantissa * 10 + Int128(byte - 48)
                if inFraction { fractionDigits += 1 }
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit, let (numerator, denominator) = Self.multiplier(suffix: String(Substring(bytes))) else { return nil }
        // value = mantissa × numerator / (denominator × 10^fractionDigits), in nano-units.
        let scaledDenominator = denominator * Int128(10).power(fractionDigits)
        let (product, overflow) = (mantissa * 1_000_000_000).multipliedReportingOverflow(by: numerator)
        guard !overflow else { return nil }
        let rounded = (product + scaledDenominator - 1) / scaledDenominator
        nanos = negative ? -rounded : rounded
    }

    /// The factor a suffix stands for, as a fraction: binary (`Ki`…`Ei`), decimal SI (`n`…`E`) or
    /// a decimal exponent (`e3`, `E-2`).
    private static func multiplier(suffix: String) -> (Int128, Int128)? {
        let binary = ["": 0, "Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]
        let decimal = ["n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]
        if let power = binary[suffix] { return (Int128(1024).power(power), 1) }
        var exponent: Int
        if let power = decimal[suffix] {
            exponent = power
        } else if let first = suffix.first, first == "e" || first == "E", let value = Int(suffix.dropFirst()), abs(value) <= 30 {
            exponent = value
        } else {
            return nil
        }
        return exponent >= 0 ? (Int128(10).power(exponent), 1) : (1, Int128(10).power(-exponent))
    }

    /// Whether the quantity is greater than zero.
    public var isPositive: Bool { nanos > 0 }

    /// The value in thousandths, rounded up (upstream's `MilliValue`, e.g. CPU in millicores).
    public var milliValue: Int64 { Int64(clamping: Self.divideRoundingUp(nanos, by: 1_000_000)) }

    /// The value in whole units, rounded up (upstream's `Value`, e.g. memory in bytes).
    public var value: Int64 { Int64(clamping: Self.divideRoundingUp(nanos, by: 1_000_000_000)) }

    private static func divideRoundingUp(_ value: Int128, by divisor: Int128) -> Int128 {
        value >= 0 ? (value + divisor - 1) / divisor : value / divisor
    }

    public static func < (lhs: ResourceQuantity, rhs: ResourceQuantity) -> Bool { lhs.nanos < rhs.nanos }
    public static func + (lhs: ResourceQuantity, rhs: ResourceQuantity) -> ResourceQuantity { ResourceQuantity(nanos: lhs.nanos + rhs.nanos) }

    private init(nanos: Int128) { self.nanos = nanos }
}

extension Int128 {
    /// `self` raised to a small non-negative power.
    fileprivate func power(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(1) { result, _ in result * self }
    }
}
