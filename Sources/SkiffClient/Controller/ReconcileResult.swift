import Logging

/// What a reconcile asks for next (controller-runtime's `reconcile.Result`).
public struct ReconcileResult: Sendable, Hashable {
    /// Process the key again, rate-limited.
    public var requeue = false
    /// Process the key again after this long (its failure history is forgotten).
    public var requeueAfter: Duration?

    public init(requeue: Bool = false, requeueAfter: Duration? = nil) {
        self.requeue = requeue
        self.requeueAfter = requeueAfter
    }

    /// Done: the object is as it should be.
    public static let done = ReconcileResult()
    /// Again, after the rate limiter's delay.
    public static let requeue = ReconcileResult(requeue: true)
    /// Again after `delay`.
    public static func requeueAfter(_ delay: Duration) -> ReconcileResult { ReconcileResult(requeueAfter: delay) }
}

/// Brings the world in line with one object, by key (`namespace/name`); level-based: it reads
/// the current state (from listers) rather than reacting to a particular change.
public protocol Reconciler: Sendable {
    /// Reconciles `key`; a thrown error retries it with back-off, unless it is a `TerminalError`.
    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult
}

/// An error that retrying will not fix: the key is not requeued.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var underlying: any Error & Sendable

    public init(_ underlying: any Error & Sendable) {
        self.underlying = underlying
    }

    public var description: String { "terminal error: \(underlying)" }
}
