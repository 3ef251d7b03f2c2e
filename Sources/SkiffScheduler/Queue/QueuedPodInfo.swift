import SkiffAPI

/// A pod in the scheduling queue, with what the queue knows of its attempts.
struct QueuedPodInfo: Sendable {
    var pod: PodInfo
    /// When the pod was last added to the queue (orders equal priorities; starts the back-off).
    var timestamp: Timestamp
    /// Scheduling attempts so far.
    var attempts: Int = 0
}
