import SkiffAPIServer
import Testing

/// Runs `server` on its loopback port for the duration of `body`, which is given the port.
func withLoopbackServer(_ server: HTTPServer, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        let (ports, bound) = AsyncStream<Int>.makeStream()
        group.addTask { try await server.run { port in bound.yield(port) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        defer { group.cancelAll() }
        try await body(port)
    }
}
