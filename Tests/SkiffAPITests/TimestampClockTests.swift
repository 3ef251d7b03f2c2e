import SkiffAPI
import SkiffTesting
import Testing

/// Timestamps are the instants of the components' clock; the manual clock moves only when told.
struct TimestampClockTests {
    @Test func advancesAcrossSecondBoundariesBothWays() {
        let start = Timestamp(seconds: 100, nanoseconds: 900_000_000)
        #expect(start.advanced(by: .milliseconds(200)) == Timestamp(seconds: 101, nanoseconds: 100_000_000))
        #expect(start.advanced(by: .milliseconds(-950)) == Timestamp(seconds: 99, nanoseconds: 950_000_000))
        #expect(start.advanced(by: .seconds(-3)) == Timestamp(seconds: 97, nanoseconds: 900_000_000))
        #expect(start.duration(to: start.advanced(by: .milliseconds(1500))) == .milliseconds(1500))
    }

    @Test func manualClockWakesSleepersOnlyWhenAdvancedPastTheirDeadline() async throws {
        let clock = ManualClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Timestamp.self) { group in
            group.addTask {
                try await clock.sleep(for: .seconds(5))
                return clock.now
            }
            try await waitUntil("the sleeper is registered") { clock.sleeperCount == 1 }
            #expect(clock.nextDeadline == start.adding(seconds: 5))
            clock.advance(seconds: 4)
            #expect(clock.sleeperCount == 1)
            clock.advance(seconds: 1)
            let woke = try await group.next()
            #expect(woke == start.adding(seconds: 5))
        }
    }

    @Test func cancellingASleeperWakesIt() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        try await waitUntil("the sleeper is registered") { clock.sleeperCount == 1 }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }
}
