import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` until it returns or the process gets SIGINT or SIGTERM, which cancel it (the
/// examples that run until stopped: leader election, the controllers). Cancellation is how
/// `body` learns to stop: a leader releases its lease, a controller drains its queue.
public func untilSignalled(_ body: @escaping @Sendable () async throws -> Void) async throws {
    let task = Task { try await body() }
    let sources = [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { task.cancel() }
        source.resume()
        return source
    }
    defer { sources.forEach { $0.cancel() } }
    do {
        try await task.value
    } catch is CancellationError {
        // Stopped by a signal, as asked.
    }
}

/// Prints `line` at once, even when standard output is a pipe (where `print` buffers): the
/// long-running examples' output is read line by line as they run.
public func say(_ line: String) {
    _ = (line + "\n").utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count - 1) }
}
