import Dispatch
import Foundation

/// Runs a service until it ends or the process gets SIGINT/SIGTERM, which cancels it so it can
/// shut down cleanly.
enum SignalHandling {
    /// Runs `service` and, beside it, `dependent` (a client of the service, such as the
    /// controllers of `skiff up`'s API server). A signal stops `dependent` first, then
    /// `service`, so nothing reconnects while the service shuts down. Either ending stops both.
    static func runUntilTerminated(
        _ service: @escaping @Sendable () async throws -> Void, dependent: (@Sendable () async throws -> Void)? = nil
    ) async throws {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service() }
            group.addTask {
                try await withThrowingTaskGroup(of: Void.self) { dependents in
                    if let dependent { dependents.addTask { try await dependent() } }
                    dependents.addTask {
                        for await _ in signals { return }
                    }
                    try await dependents.next()
                    dependents.cancelAll()
                    try await dependents.waitForAll()
                }
            }
            try await group.next()
            group.cancelAll()
            try await group.waitForAll()
        }
        continuation.finish()
    }
}
