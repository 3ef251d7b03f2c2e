import SkiffAPI

/// The error `waitUntil` throws when its condition did not hold in time: a test failure that names
/// what was awaited, not the transport error of the last attempt.
public struct ConditionTimedOut: Error, CustomStringConvertible {
    /// What the test waited for.
    public var condition: String
    /// How long it waited.
    public var timeout: Duration
    /// The error of the last evaluation, if it threw.
    public var lastError: (any Error)?

    public var description: String {
        var text = "timed out after \(timeout) waiting until \(condition)"
        if let lastError { text += " (last attempt: \(lastError))" }
        return text
    }
}

/// Evaluates `condition` until it returns true, on the real clock (a test's wait for the world
/// it started, not a component's time), every `interval`, for at most `timeout`. A condition
/// that throws counts as not yet true; the last error is reported if time runs out. The default
/// patience is generous: the unit suites run their 800-odd tests in parallel on two cores, where a
/// condition that holds within milliseconds alone can take tens of seconds (a namespace controller
/// pass is a hundred requests, each queued behind every other test's); only a failing test waits
/// it out.
public func waitUntil(
    _ description: @autoclosure () -> String,
    timeout: Duration = .seconds(120),
    interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var lastError: (any Error)?
    while true {
        do {
            if try await condition() { return }
            lastError = nil
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            lastError = error
        }
        guard clock.now < deadline else {
            throw ConditionTimedOut(condition: description(), timeout: timeout, lastError: lastError)
        }
        try await Task.sleep(for: interval)
    }
}
