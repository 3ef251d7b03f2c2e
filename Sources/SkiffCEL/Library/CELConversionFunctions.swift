/// Type conversions: `int()`, `uint()`, `double()`, `string()`, `bool()`, `bytes()`, `dyn()`, `type()`.
enum CELConversionFunctions {
    typealias Overload = CELOverload

    private static func failure(_ message: String) -> CELEvaluationError { CELEvaluationError(message) }

    static var overloads: [Overload] {
        [
            Overload("int", [.dyn], .int) { args throws(CELEvaluationError) in try toInt(args[0]) },
            Overload("uint", [.dyn], .uint) { args throws(CELEvaluationError) in try toUint(args[0]) },
            Overload("double", [.dyn], .double) { args throws(CELEvaluationError) in try toDouble(args[0]) },
            Overload("string", [.dyn], .string) { args throws(CELEvaluationError) in try toString(args[0]) },
            Overload("bool", [.dyn], .bool) { args throws(CELEvaluationError) in try toBool(args[0]) },
            Overload("bytes", [.dyn], .bytes) { args throws(CELEvaluationError) in
                switch args[0] {
                case .bytes: return args[0]
                case .string(let text): return .bytes(Array(text.utf8))
                default: throw .noSuchOverload("bytes")
                }
            },
            Overload("dyn", [.parameterA], .dyn) { args throws(CELEvaluationError) in args[0] },
            Overload("type", [.parameterA], CELType(.type(.parameterA))) { args throws(CELEvaluationError) in .type(args[0].typeName) },
        ]
    }

    static func toInt(_ value: CELValue) throws(CELEvaluationError) -> CELValue {
        switch value {
        case .int: return value
        case .uint(let number):
            guard let converted = Int64(exactly: number) else { throw failure("integer overflow") }
            return .int(converted)
        case .double(let number):
            guard number.isFinite, number > -9.223372036854775808e18, number < 9.223372036854775807e18 else { throw failure("integer overflow") }
            return .int(Int64(number.rounded(.towardZero)))
        case .string(let text):
            guard let converted = Int64(text) else { throw failure("cannot convert string '\(text)' to int") }
            return .int(converted)
        case .timestamp(let instant): return .int(instant.seconds)
        case .duration(let nanos): return .int(Int64(nanos))
        default: throw .noSuchOverload("int")
        }
    }

    static func toUint(_ value: CELValue) throws(CELEvaluationError) -> CELValue {
        switch value {
        case .uint: return value
        case .int(let number):
            guard let converted = UInt64(exactly: number) else { throw failure("unsigned integer overflow") }
            return .uint(converted)
        case .double(let number):
            guard number.isFinite, number > -1, number < 1.8446744073709552e19 else { throw failure("unsigned integer overflow") }
            return .uint(UInt64(number.rounded(.towardZero)))
        case .string(let text):
            guard let converted = UInt64(text) else { throw failure("cannot convert string '\(text)' to uint") }
            return .uint(converted)
        default: throw .noSuchOverload("uint")
        }
    }

    static func toDouble(_ value: CELValue) throws(CELEvaluationError) -> CELValue {
        switch value {
        case .double: return value
        case .int(let number): return .double(Double(number))
        case .uint(let number): return .double(Double(number))
        case .string(let text):
            guard let converted = Double(text) else { throw failure("cannot convert string '\(text)' to double") }
            return .double(converted)
        default: throw .noSuchOverload("double")
        }
    }

    static func toString(_ value: CELValue) throws(CELEvaluationError) -> CELValue {
        switch value {
        case .string: return value
        case .int(let number): return .string(String(number))
        case .uint(let number): return .string(String(number))
        case .double(let number): return .string(formatDouble(number))
        case .bool(let flag): return .string(String(flag))
        case .bytes(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else { throw failure("invalid UTF-8 in bytes, cannot convert to string") }
            return .string(text)
        case .duration(let nanos): return .string(CELDurationFormat.format(nanos))
        case .timestamp(let instant): return .string(CELTimestampFormat.format(instant))
        case .quantity(let quantity): return .string(quantity.text)
        default: throw .noSuchOverload("string")
        }
    }

    /// A double as cel-go prints it (`1`, `1.5`, `1e+21`).
    static func formatDouble(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "+Inf" : "-Inf" }
        if number == number.rounded(), abs(number) < 1e21 { return String(Int64(number)) }
        return String(number)
    }

    static func toBool(_ value: CELValue) throws(CELEvaluationError) -> CELValue {
        switch value {
        case .bool: return value
        case .string(let text):
            switch text {
            case "1", "t", "T", "true", "TRUE", "True": return .bool(true)
            case "0", "f", "F", "false", "FALSE", "False": return .bool(false)
            default: throw failure("type conversion error from 'string' to 'bool'")
            }
        default: throw .noSuchOverload("bool")
        }
    }
}
