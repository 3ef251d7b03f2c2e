import Dispatch

/// Runs `body` to its end on the concurrency pool and returns its result, blocking the calling
/// thread (libFuzzer's `LLVMFuzzerTestOneInput` is synchronous; the code under test is async).
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        outcome.value = await body()
        done.signal()
    }
    done.wait()
    return outcome.value!
}

/// The result slot of `runBlocking`: written once by the task before it signals, read by the
/// caller only after the wait, so the semaphore orders the two accesses (hence unchecked).
private final class Outcome<T>: @unchecked Sendable {
    var value: T?
}
