/// Stops the fuzzer with `message` when `condition` is false (a finding): unlike `precondition`,
/// the message survives optimized builds, so the crash report says what went wrong.
public func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
