/// A cron job's schedule as upstream's parser (robfig/cron's `ParseStandard`) reads it: five
/// fields (minute, hour, day of month, month, day of week) with ranges, steps, lists and names,
/// a `@descriptor` (`@hourly`, `@daily`…), or `@every <duration>`; optionally prefixed with
/// `TZ=<zone>` or `CRON_TZ=<zone>`. Validation reports the parser's messages; `next(after:)`
/// gives the next activation.
public struct CronSchedule: Sendable, Hashable {
    /// Why a schedule does not parse, with the upstream parser's message.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private enum Activation: Hashable {
        /// One bit per allowed value of each field; `dayOfMonthStar`/`dayOfWeekStar` record a
        /// field written as `*` or `?`, which makes days match on the other field alone.
        case fields(minutes: UInt64, hours: UInt64, daysOfMonth: UInt64, months: UInt64, daysOfWeek: UInt64,
                    dayOfMonthStar: Bool, dayOfWeekStar: Bool)
        /// `@every`: a fixed delay in whole seconds (at least one).
        case every(seconds: Int64)
    }

    private let activation: Activation
    /// The zone named by a `TZ=` or `CRON_TZ=` prefix, if any.
    public let timeZone: String?

    private struct Bounds {
        let min: Int
        let max: Int
        var names: [String: Int] = [:]
    }

    private static let fieldBounds = [
        Bounds(min: 0, max: 59),
        Bounds(min: 0, max: 23),
        Bounds(min: 1, max: 31),
        Bounds(min: 1, max: 12, names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                                        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]),
        Bounds(min: 0, max: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]),
    ]

    private static let descriptors = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses `schedule`, throwing the upstream parser's message when it does not parse.
    public init(parsing schedule: String) throws(ParseError) {
        var spec = Substring(schedule)
        var zone: String?
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ="), let space = spec.firstIndex(of: " ") {
            zone = String(spec[..<space].drop { $0 != "=" }.dropFirst())
            spec = spec[space...].drop { $0 == " " }
        }
        timeZone = zone
        if spec.hasPrefix("@") {
            if let fields = Self.descriptors[String(spec)] {
                activation = try Self.fields(Substring(fields))
            } else if spec.hasPrefix("@every ") {
                let text = spec.dropFirst("@every ".count)
                guard let interval = GoDuration.duration(text) else {
                    throw ParseError(message: "failed to parse duration \(spec): time: invalid duration \"\(text)\"")
                }
                activation = .every(seconds: max(1, interval.components.seconds))
            } else {
                throw ParseError(message: "unrecognized descriptor: \(spec)")
            }
        } else {
            activation = try Self.fields(spec)
        }
    }

    /// Why `schedule` does not parse, or nil when it does.
    public static func problem(in schedule: String) -> String? {
        do {
            _ = try CronSchedule(parsing: schedule)
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: Next activation

    /// The first activation strictly after `time` (at second precision, as upstream), with
    /// the schedule's fields read as wall-clock time in a zone whose offset from UTC (seconds
    /// east) at an instant `utcOffset` gives. Wall times skipped by a zone transition never
    /// activate. Nil when nothing matches within five years (e.g. `0 0 30 2 *`).
    public func next(after time: Timestamp, utcOffset: (Int64) -> Int64 = { _ in 0 }) -> Timestamp? {
        switch activation {
        case .every(let seconds):
            return Timestamp(seconds: time.seconds + seconds)
        case .fields(let minutes, let hours, let daysOfMonth, let months, let daysOfWeek, let dayOfMonthStar, let dayOfWeekStar):
            let start = time.seconds + 1
            let localStart = start + utcOffset(start)
            var wall = Self.ceilingDivide(localStart, 60) * 60
            let (startYear, _, _) = Timestamp.civilDate(daysSinceEpoch: Self.floorDivide(localStart, 86_400))
            while true {
                let days = Self.floorDivide(wall, 86_400)
                let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
                if year > startYear + 5 { return nil }
                let secondOfDay = wall - days * 86_400
                let hour = secondOfDay / 3600
                let minute = secondOfDay / 60 % 60
                if months & (1 << UInt64(month)) == 0 {
                    let nextMonth = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
                    wall = Timestamp.daysSinceEpoch(year: nextMonth.0, month: nextMonth.1, day: 1) * 86_400
                    continue
                }
                let weekday = ((days + 4) % 7 + 7) % 7
                let dayOfMonthMatches = daysOfMonth & (1 << UInt64(day)) != 0
                let dayOfWeekMatches = daysOfWeek & (1 << UInt64(weekday)) != 0
                let dayMatches = dayOfMonthStar || dayOfWeekStar
                    ? dayOfMonthMatches && dayOfWeekMatches : dayOfMonthMatches || dayOfWeekMatches
                if !dayMatches {
                    wall = (days + 1) * 86_400
                    continue
                }
                if hours & (1 << UInt64(hour)) == 0 {
                    wall = days * 86_400 + (hour + 1) * 3600
                    continue
                }
                if minutes & (1 << UInt64(minute)) == 0 {
                    wall += 60
                    continue
                }
                // The wall time as an instant: it exists when the zone maps it back to itself.
                let instant = wall - utcOffset(wall - utcOffset(wall))
                if instant + utcOffset(instant) == wall, instant >= start { return Timestamp(seconds: instant) }
                wall += 60
            }
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func ceilingDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        -floorDivide(-value, divisor)
    }

    // MARK: Parsing

    private static func fields(_ spec: Substring) throws(ParseError) -> Activation {
        let parts = spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard parts.count == 5 else {
            throw ParseError(message: "expected exactly 5 fields, found \(parts.count): [\(parts.joined(separator: " "))]")
        }
        var bits: [UInt64] = []
        var stars: [Bool] = []
        for (part, bounds) in zip(parts, fieldBounds) {
            var fieldBits: UInt64 = 0
            var star = false
            for expression in part.split(separator: ",") {
                let range = try Self.range(String(expression), bounds)
                fieldBits |= range.bits
                star = star || range.star
            }
            bits.append(fieldBits)
            stars.append(star)
        }
        return .fields(minutes: bits[0], hours: bits[1], daysOfMonth: bits[2], months: bits[3], daysOfWeek: bits[4],
                       dayOfMonthStar: stars[2], dayOfWeekStar: stars[4])
    }

    /// One `start[-end][/step]` or `*[/step]` expression: its bits, and whether it is a `*`
    /// (or `?`) with a step of at most one.
    private static func range(_ expression: String, _ bounds: Bounds) throws(ParseError) -> (bits: UInt64, star: Bool) {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
        var start = bounds.min
        var end = bounds.max
        var star = false
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            star = true
        } else {
            start = try number(String(lowAndHigh[0]), names: bounds.names)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try number(String(lowAndHigh[1]), names: bounds.names)
            default: throw ParseError(message: "too many hyphens: \(expression)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            step = try number(String(rangeAndStep[1]), names: [:])
            if lowAndHigh.count == 1 { end = bounds.max }
            if step > 1 { star = false }
        default: throw ParseError(message: "too many slashes: \(expression)")
        }
        if start < bounds.min { throw ParseError(message: "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)") }
        if end > bounds.max { throw ParseError(message: "end of range (\(end)) above maximum (\(bounds.max)): \(expression)") }
        if start > end { throw ParseError(message: "beginning of range (\(start)) beyond end of range (\(end)): \(expression)") }
        if step == 0 { throw ParseError(message: "step of range should be a positive number: \(expression)") }
        var bits: UInt64 = 0
        for value in stride(from: start, through: end, by: step) { bits |= 1 << UInt64(value) }
        return (bits, star)
    }

    /// A number or a (case-insensitive) name, as Go's `strconv.Atoi` reports failures.
    private static func number(_ text: String, names: [String: Int]) throws(ParseError) -> Int {
        if let named = names[text.lowercased()] { return named }
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ParseError(message: "failed to parse int from \(text): strconv.Atoi: parsing \"\(text)\": invalid syntax")
        }
        guard let value = Int(text), digits.count < 19 else {
            throw ParseError(message: "failed to parse int from \(text): strconv.Atoi: parsing \"\(text)\": value out of range")
        }
        if value < 0 { throw ParseError(message: "negative number (\(value)) not allowed: \(text)") }
        return value
    }
}
