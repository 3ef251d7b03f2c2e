import SkiffAPI
import Testing

/// Durations printed as Go's `time.Duration.String` prints them.
struct GoDurationTests {
    @Test(arguments: [
        (Int64(0), "0s"), (300_000_000_000, "5m0s"), (80_000_000_000, "1m20s"), (1_500_000_000, "1.5s"), (523_400_000, "523.4ms"),
        (3_723_000_000_000, "1h2m3s"), (-2_000, "-2µs"), (999, "999ns"),
    ])
    func formatsAsGo(nanoseconds: Int64, text: String) {
        #expect(GoDuration.format(nanoseconds: nanoseconds) == text)
    }
}
