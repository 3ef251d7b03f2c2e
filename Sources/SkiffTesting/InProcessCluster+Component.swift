import ServiceLifecycle

extension InProcessCluster {
    /// Something the cluster runs beside the test: a swift-service-lifecycle `Service`, or a
    /// closure, made once the server is up (so it can use the cluster's client and clock).
    public struct Component: Sendable {
        /// The name in logs and errors.
        public var name: String
        let make: @Sendable (InProcessCluster) -> any Service

        /// A `Service` the cluster makes, runs and shuts down gracefully.
        public static func service(_ name: String, _ make: @escaping @Sendable (InProcessCluster) -> any Service) -> Component {
            Component(name: name, make: make)
        }

        /// A closure that runs until cancelled: graceful shutdown cancels it, and the
        /// `CancellationError` it ends with then counts as a clean stop.
        public static func task(_ name: String, _ run: @escaping @Sendable (InProcessCluster) async throws -> Void) -> Component {
            Component(name: name) { cluster in
                ClosureService {
                    do {
                        try await cancelWhenGracefulShutdown { try await run(cluster) }
                    } catch is CancellationError {
                        return
                    }
                }
            }
        }
    }
}
