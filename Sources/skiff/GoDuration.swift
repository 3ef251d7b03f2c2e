import ArgumentParser

/// A duration written as Go's `time.ParseDuration` reads it (`15s`, `1m30s`, `500ms`), as
/// upstream's duration flags take it.
struct GoDuration: ExpressibleByArgument, CustomStringConvertible {
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        let units: [(suffix: String, nanoseconds: Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var rest = Substring(argument)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        if rest == "0" {
            self.init(.zero)
            return
        }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest suffix first, so `ms` is not read as `m`.
            guard let unit = units.sorted(by: { $0.suffix.count > $1.suffix.count }).first(where: { rest.hasPrefix($0.suffix) }) else {
                return nil
            }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * unit.nanoseconds
        }
        self.init(.nanoseconds(Int64(total)))
    }

    /// Seconds, as Go prints durations of whole seconds (`15s`).
    var description: String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds)s" : "\(Double(seconds) + Double(attoseconds) / 1e18)s"
    }

    var defaultValueDescription: String { description }
}
