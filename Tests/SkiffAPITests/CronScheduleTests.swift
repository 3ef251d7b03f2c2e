import SkiffAPI
import Testing

/// Cron schedules parse as upstream's parser does and give the next activation.
struct CronScheduleTests {
    static func time(_ text: String) -> Timestamp {
        Timestamp(rfc3339: text) ?? Timestamp(seconds: 0)
    }

    static func next(_ schedule: String, after text: String, utcOffset: (Int64) -> Int64 = { _ in 0 }) throws -> String? {
        try CronSchedule(parsing: schedule).next(after: time(text), utcOffset: utcOffset)?.rfc3339
    }

    @Test func reportsTheParsersMessages() throws {
        #expect(CronSchedule.problem(in: "0 0 * * MON-FRI") == nil)
        #expect(CronSchedule.problem(in: "@every 1h30m") == nil)
        #expect(CronSchedule.problem(in: "CRON_TZ=UTC 0 * * * *") == nil)
        #expect(CronSchedule.problem(in: "* * *") == "expected exactly 5 fields, found 3: [* * *]")
        #expect(CronSchedule.problem(in: "@often") == "unrecognized descriptor: @often")
        #expect(CronSchedule.problem(in: "61 * * * *") == "end of range (61) above maximum (59): 61")
        #expect(CronSchedule.problem(in: "@every 1x") == #"failed to parse duration @every 1x: time: invalid duration "1x""#)
        #expect(try CronSchedule(parsing: "TZ=Europe/Paris 0 9 * * *").timeZone == "Europe/Paris")
    }

    @Test func nextActivationOfFields() throws {
        #expect(try Self.next("* * * * *", after: "2024-05-01T10:00:00Z") == "2024-05-01T10:01:00Z")
        #expect(try Self.next("* * * * *", after: "2024-05-01T10:00:59Z") == "2024-05-01T10:01:00Z")
        #expect(try Self.next("*/15 * * * *", after: "2024-05-01T10:07:30Z") == "2024-05-01T10:15:00Z")
        #expect(try Self.next("30 2 * * *", after: "2024-05-01T10:00:00Z") == "2024-05-02T02:30:00Z")
        #expect(try Self.next("0 0 1 */3 *", after: "2024-05-01T10:00:00Z") == "2024-07-01T00:00:00Z")
        #expect(try Self.next("0 0 29 2 *", after: "2024-03-01T00:00:00Z") == "2028-02-29T00:00:00Z")
        #expect(try Self.next("0 0 30 2 *", after: "2024-03-01T00:00:00Z") == nil)
        // 2024-05-01 is a Wednesday.
        #expect(try Self.next("0 9 * * MON-FRI", after: "2024-05-03T10:00:00Z") == "2024-05-06T09:00:00Z")
        // Both day fields restricted: either one matches.
        #expect(try Self.next("0 0 15 * SUN", after: "2024-05-01T00:00:00Z") == "2024-05-05T00:00:00Z")
        #expect(try Self.next("0 0 15 * SUN", after: "2024-05-13T00:00:00Z") == "2024-05-15T00:00:00Z")
        // A day-of-week with `*` day-of-month: only the weekday counts.
        #expect(try Self.next("0 0 * * 0", after: "2024-05-01T00:00:00Z") == "2024-05-05T00:00:00Z")
    }

    @Test func descriptorsAndEvery() throws {
        #expect(try Self.next("@hourly", after: "2024-05-01T10:20:00Z") == "2024-05-01T11:00:00Z")
        #expect(try Self.next("@daily", after: "2024-05-01T10:20:00Z") == "2024-05-02T00:00:00Z")
        #expect(try Self.next("@weekly", after: "2024-05-01T10:20:00Z") == "2024-05-05T00:00:00Z")
        #expect(try Self.next("@monthly", after: "2024-05-01T10:20:00Z") == "2024-06-01T00:00:00Z")
        #expect(try Self.next("@yearly", after: "2024-05-01T10:20:00Z") == "2025-01-01T00:00:00Z")
        #expect(try Self.next("@every 90s", after: "2024-05-01T10:20:00Z") == "2024-05-01T10:21:30Z")
    }

    @Test func wallClockInAZone() throws {
        // Two hours east of UTC: 09:00 local is 07:00 UTC.
        #expect(try Self.next("0 9 * * *", after: "2024-05-01T08:00:00Z", utcOffset: { _ in 7200 }) == "2024-05-02T07:00:00Z")
        // A zone that skips 02:00-03:00 local on one night: that night's 02:30 never happens.
        let transition = Self.time("2024-03-31T01:00:00Z").seconds
        let offset: (Int64) -> Int64 = { $0 < transition ? 3600 : 7200 }
        #expect(try Self.next("30 2 * * *", after: "2024-03-30T12:00:00Z", utcOffset: offset) == "2024-04-01T00:30:00Z")
    }
}
