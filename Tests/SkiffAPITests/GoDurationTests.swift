import SkiffAPI
import Testing

/// Durations printed as Go's `time.Duration.String` prints them and read as its
/// `time.ParseDuration` reads them.
struct GoDurationTests {
    @Test(arguments: [
        (Int64(0), "0s"), (300_000_000_000, "5m0s"), (80_000_000_000, "1m20s"), (1_500_000_000, "1.5s"), (523_400_000, "523.4ms"),
        (3_723_000_000_000, "1h2m3s"), (-2_000, "-2µs"), (999, "999ns"),
    ])
    func formatsAsGo(nanoseconds: Int64, text: String) {
        #expect(GoDuration.format(nanoseconds: nanoseconds) == text)
    }

    @Test(arguments: [
        ("0", 0), ("-0", 0), ("+5s", 5_000_000_000), ("1h30m", 5_400_000_000_000), ("1.5h", 5_400_000_000_000),
        (".5s", 500_000_000), ("5.s", 5_000_000_000), ("1m0.5s", 60_500_000_000), ("-1.5µs", -1_500), ("10\u{03BC}s", 10_000),
        ("7us", 7_000), ("300ms", 300_000_000), ("15.004s", 15_004_000_000), ("1.0000000001s", 1_000_000_000), ("2562047h", 9_223_369_200_000_000_000),
    ] as [(String, Int128)])
    func readsAsGo(text: String, nanoseconds: Int128) {
        #expect(GoDuration.nanoseconds(text) == nanoseconds)
        #expect(GoDuration.nanoseconds(GoDuration.format(nanoseconds: Int64(nanoseconds))) == nanoseconds)
    }

    @Test(arguments: ["", "-", "5", "s", ".s", "1.2.3s", "1d", "5 s", "1h-5m", "+", "١s"])
    func refusesWhatGoRefuses(text: String) {
        #expect(GoDuration.nanoseconds(text) == nil)
    }

    @Test func durationsBeyondGosRangeAreRefused() {
        #expect(GoDuration.duration("2562047h") == .seconds(2562047 * 3600))
        #expect(GoDuration.duration("2562048h") == nil)
        #expect(GoDuration.duration("99999999999999999999999999999999999999999h") == nil)
    }
}
