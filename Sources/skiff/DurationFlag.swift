import ArgumentParser
import SkiffAPI

/// A duration written as Go's `time.ParseDuration` reads it (`15s`, `1m30s`, `500ms`), as
/// upstream's duration flags take it.
struct DurationFlag: ExpressibleByArgument, CustomStringConvertible {
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        guard let duration = GoDuration.duration(argument) else { return nil }
        self.init(duration)
    }

    /// As Go prints a duration (`15s`, `5m0s`, `8760h0m0s`).
    var description: String {
        let (seconds, attoseconds) = duration.components
        return GoDuration.format(nanoseconds: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    var defaultValueDescription: String { description }
}
