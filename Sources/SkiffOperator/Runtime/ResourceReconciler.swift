import Logging
import SkiffAPI
import SkiffClient

/// Brings the world in line with one object of `Resource` (controller-runtime's
/// `reconcile.Reconciler`): level-based, it reads the current state (from listers or the
/// server) rather than reacting to a particular change, and may be called again for the same
/// state. A thrown error retries the request with back-off (unless it is a `TerminalError`);
/// `ReconcileResult.requeueAfter(_:)` comes back after a delay.
public protocol ResourceReconciler<Resource>: Sendable {
    /// The kind this reconciler is for.
    associatedtype Resource: KubernetesObject

    func reconcile(_ request: Request) async throws -> ReconcileResult
}

/// A `ResourceReconciler` seen as the key-based reconciler `SkiffClient.Controller` runs.
struct KeyedReconciler<Wrapped: ResourceReconciler>: Reconciler {
    let wrapped: Wrapped

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        try await wrapped.reconcile(Request(key: key))
    }
}
