import ServiceLifecycle

extension APIServerService {
    /// Runs the server with no socket: once it is ready, `body` gets its request handler and
    /// talks to it in the same process (SkiffTesting's fake client); when `body` returns, the
    /// server shuts down gracefully and storage closes. `configuration.http` is not used.
    public func withInProcessServer<Result: Sendable>(
        _ body: @escaping @Sendable (APIServer) async throws -> Result
    ) async throws -> Result {
        let parts = try await assemble()
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: parts.services, logger: logger))
        let outcome = await withTaskGroup(of: InProcessOutcome<Result>.self) { group in
            group.addTask {
                do {
                    try await services.run()
                    return .servicesEnded(nil)
                } catch {
                    return .servicesEnded(error)
                }
            }
            group.addTask {
                guard await parts.prepare(Self.inProcessPort) else { return .body(.failure(ServerDidNotGetReady())) }
                do { return .body(.success(try await body(parts.api))) } catch { return .body(.failure(error)) }
            }
            switch await group.next() {
            case .body(let result):
                await services.triggerGracefulShutdown()
                await group.waitForAll()
                return result
            case .servicesEnded(let error):
                group.cancelAll()
                return .failure(error ?? ServerDidNotGetReady())
            case nil:
                return .failure(ServerDidNotGetReady())
            }
        }
        try await parts.storage.close()
        return try outcome.get()
    }

    /// The port the `kubernetes` service names for a server without a socket (upstream's secure port).
    static let inProcessPort = 6443

    /// The server stopped, or failed to load its caches, before it was ready.
    public struct ServerDidNotGetReady: Error, CustomStringConvertible {
        public var description: String { "the in-process API server stopped before it was ready" }
    }
}

/// Which of the two tasks of an in-process server ended first.
private enum InProcessOutcome<Result: Sendable>: Sendable {
    case body(Swift.Result<Result, any Error>)
    case servicesEnded((any Error)?)
}
