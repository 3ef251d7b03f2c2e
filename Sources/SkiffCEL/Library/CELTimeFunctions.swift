import SkiffAPI

/// `duration()`, `timestamp()` and their accessors (in UTC).
enum CELTimeFunctions {
    typealias Overload = CELOverload

    static func nanos(_ instant: Timestamp) -> Int128 { Int128(instant.seconds) * 1_000_000_000 + Int128(instant.nanoseconds) }

    static func checked(_ nanos: Int128) throws(CELEvaluationError) -> CELValue {
        guard abs(nanos) <= CELDurationFormat.maxNanos else { throw CELEvaluationError("duration out of range") }
        return .duration(nanos)
    }

    static func add(_ instant: Timestamp, _ duration: Int128) throws(CELEvaluationError) -> CELValue {
        let total = nanos(instant) + duration
        let seconds = total >= 0 ? total / 1_000_000_000 : (total - 999_999_999) / 1_000_000_000
        let result = Timestamp(seconds: Int64(clamping: seconds), nanoseconds: Int32(total - seconds * 1_000_000_000))
        guard CELTimestampFormat.isInRange(result) else { throw CELEvaluationError("timestamp out of range") }
        return .timestamp(result)
    }

    static var overloads: [Overload] {
        var list = [
            Overload("duration", [.string], .duration) { args throws(CELEvaluationError) in
                guard case .string(let text) = args[0] else { throw .noSuchOverload("duration") }
                guard let nanos = CELDurationFormat.parse(text) else {
                    throw CELEvaluationError("type conversion error from 'string' to 'google.protobuf.Duration'")
                }
                return .duration(nanos)
            },
            Overload("duration", [.duration], .duration) { args throws(CELEvaluationError) in args[0] },
            Overload("timestamp", [.string], .timestamp) { args throws(CELEvaluationError) in
                guard case .string(let text) = args[0] else { throw .noSuchOverload("timestamp") }
                guard let instant = Timestamp(rfc3339: text), CELTimestampFormat.isInRange(instant) else {
                    throw CELEvaluationError("type conversion error from 'string' to 'google.protobuf.Timestamp'")
                }
                return .timestamp(instant)
            },
            Overload("timestamp", [.timestamp], .timestamp) { args throws(CELEvaluationError) in args[0] },
            Overload("timestamp", [.int], .timestamp) { args throws(CELEvaluationError) in
                guard case .int(let seconds) = args[0] else { throw .noSuchOverload("timestamp") }
                return .timestamp(Timestamp(seconds: seconds))
            },
        ]
        let durationParts: [(String, Int128)] = [
            ("getHours", 3_600_000_000_000), ("getMinutes", 60_000_000_000), ("getSeconds", 1_000_000_000), ("getMilliseconds", 1_000_000),
        ]
        for (name, unit) in durationParts {
            list.append(Overload(name, member: true, [.duration], .int) { args throws(CELEvaluationError) in
                guard case .duration(let nanos) = args[0] else { throw .noSuchOverload(name) }
                return .int(Int64(name == "getMilliseconds" ? nanos % 1_000_000_000 / unit : nanos / unit))
            })
        }
        let timestampParts: [(String, @Sendable (Timestamp) -> Int64)] = [
            ("getFullYear", { civil($0).year }), ("getMonth", { civil($0).month - 1 }), ("getDate", { civil($0).day }),
            ("getDayOfMonth", { civil($0).day - 1 }), ("getDayOfYear", { civil($0).dayOfYear }),
            ("getDayOfWeek", { (floorDiv($0.seconds, 86_400) + 4) %% 7 }), ("getHours", { $0.seconds %% 86_400 / 3600 }),
            ("getMinutes", { $0.seconds %% 3600 / 60 }), ("getSeconds", { $0.seconds %% 60 }),
            ("getMilliseconds", { Int64($0.nanoseconds / 1_000_000) }),
        ]
        for (name, part) in timestampParts {
            list.append(Overload(name, member: true, [.timestamp], .int) { args throws(CELEvaluationError) in
                guard case .timestamp(let instant) = args[0] else { throw .noSuchOverload(name) }
                return .int(part(instant))
            })
        }
        return list
    }

    private static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    private static func civil(_ instant: Timestamp) -> (year: Int64, month: Int64, day: Int64, dayOfYear: Int64) {
        let days = floorDiv(instant.seconds, 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYearMarch = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYearMarch + 2) / 153
        let day = dayOfYearMarch - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let cumulative: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let dayOfYear = cumulative[Int(month - 1)] + day - 1 + (leap && month > 2 ? 1 : 0)
        return (year, month, day, dayOfYear)
    }
}

infix operator %% : MultiplicationPrecedence

/// The non-negative remainder.
private func %% (value: Int64, divisor: Int64) -> Int64 {
    let remainder = value % divisor
    return remainder < 0 ? remainder + divisor : remainder
}
