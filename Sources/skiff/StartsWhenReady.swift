import ServiceLifecycle
import SkiffAPI

/// A service that starts only once `markReady()` is called (a client of `skiff up`'s API server,
/// which needs the kubeconfig the server writes when ready). Graceful shutdown before then ends
/// it without starting the service.
struct StartsWhenReady: Service {
    let service: any Service
    private let ready = WakeSignal()

    init(_ service: any Service) {
        self.service = service
    }

    /// Lets the service start.
    func markReady() {
        ready.fire()
    }

    func run() async throws {
        let ready = self.ready
        await cancelWhenGracefulShutdown { await ready.wait() }
        guard !Task.isCancelled, !Task.isShuttingDownGracefully else { return }
        try await service.run()
    }
}
