/// Checks a cron job's schedule as upstream's parser (robfig/cron, standard five fields or a
/// `@descriptor`) does, with its error messages.
enum CronSchedule {
    private struct Bounds {
        let min: Int
        let max: Int
        var names: [String: Int] = [:]
    }

    private static let fields = [
        Bounds(min: 0, max: 59),
        Bounds(min: 0, max: 23),
        Bounds(min: 1, max: 31),
        Bounds(min: 1, max: 12, names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                                        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]),
        Bounds(min: 0, max: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]),
    ]

    private static let descriptors: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    /// Why `schedule` does not parse, or nil when it does.
    static func problem(in schedule: String) -> String? {
        var spec = Substring(schedule)
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ="), let space = spec.firstIndex(of: " ") {
            spec = spec[space...].drop { $0 == " " }
        }
        if spec.hasPrefix("@") {
            if descriptors.contains(String(spec)) { return nil }
            if spec.hasPrefix("@every ") {
                let duration = spec.dropFirst("@every ".count)
                return isGoDuration(duration) ? nil : "failed to parse duration \(spec): time: invalid duration \"\(duration)\""
            }
            return "unrecognized descriptor: \(spec)"
        }
        let parts = spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard parts.count == 5 else {
            return "expected exactly 5 fields, found \(parts.count): [\(parts.joined(separator: " "))]"
        }
        for (part, bounds) in zip(parts, fields) {
            for expression in part.split(separator: ",") {
                if let problem = rangeProblem(String(expression), bounds) { return problem }
            }
        }
        return nil
    }

    /// One `start[-end][/step]` or `*[/step]` expression.
    private static func rangeProblem(_ expression: String, _ bounds: Bounds) -> String? {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
        var start = bounds.min
        var end = bounds.max
        if lowAndHigh[0] != "*" && lowAndHigh[0] != "?" {
            switch number(String(lowAndHigh[0]), names: bounds.names) {
            case .failure(let message): return message
            case .success(let value): start = value
            }
            switch lowAndHigh.count {
            case 1: end = start
            case 2:
                switch number(String(lowAndHigh[1]), names: bounds.names) {
                case .failure(let message): return message
                case .success(let value): end = value
                }
            default: return "too many hyphens: \(expression)"
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            switch number(String(rangeAndStep[1]), names: [:]) {
            case .failure(let message): return message
            case .success(let value): step = value
            }
            if lowAndHigh.count == 1 { end = bounds.max }
        default: return "too many slashes: \(expression)"
        }
        if start < bounds.min { return "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)" }
        if end > bounds.max { return "end of range (\(end)) above maximum (\(bounds.max)): \(expression)" }
        if start > end { return "beginning of range (\(start)) beyond end of range (\(end)): \(expression)" }
        if step == 0 { return "step of range should be a positive number: \(expression)" }
        return nil
    }

    /// A parsed number, or the parser's message.
    private enum Parsed {
        case success(Int)
        case failure(String)
    }

    /// A number or a (case-insensitive) name, as Go's `strconv.Atoi` reports failures.
    private static func number(_ text: String, names: [String: Int]) -> Parsed {
        if let named = names[text.lowercased()] { return .success(named) }
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure("failed to parse int from \(text): strconv.Atoi: parsing \"\(text)\": invalid syntax")
        }
        guard let value = Int(text), digits.count < 19 else {
            return .failure("failed to parse int from \(text): strconv.Atoi: parsing \"\(text)\": value out of range")
        }
        return value < 0 ? .failure("negative number (\(value)) not allowed: \(text)") : .success(value)
    }

    /// Whether `text` is a Go duration (`1h30m`, `90s`, `1.5h`).
    private static func isGoDuration(_ text: Substring) -> Bool {
        var rest = text
        if rest == "0" { return true }
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return false }
        let units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != "." else { return false }
            rest = rest.dropFirst(number.count)
            guard let unit = units.filter({ rest.hasPrefix($0) }).max(by: { $0.count < $1.count }) else { return false }
            rest = rest.dropFirst(unit.count)
        }
        return true
    }
}
