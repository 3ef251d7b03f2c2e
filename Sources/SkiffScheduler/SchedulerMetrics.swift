import Metrics

/// kube-scheduler's metrics under upstream's names: `scheduler_schedule_attempts_total` and
/// `scheduler_scheduling_attempt_duration_seconds` (result: scheduled, unschedulable or error;
/// profile), `scheduler_pending_pods` (queue: active, backoff, unschedulable, gated),
/// `scheduler_preemption_attempts_total` and `scheduler_preemption_victims`.
struct SchedulerMetrics: Sendable {
    enum Result: String {
        case scheduled, unschedulable, error
    }

    let profile: String

    /// One attempt, from the start of its scheduling cycle to its binding (or failure).
    func attempt(_ result: Result, since start: ContinuousClock.Instant) {
        let dimensions = [("result", result.rawValue), ("profile", profile)]
        Counter(label: "scheduler_schedule_attempts_total", dimensions: dimensions).increment()
        Timer(label: "scheduler_scheduling_attempt_duration_seconds", dimensions: dimensions).record(duration: ContinuousClock.now - start)
    }

    /// The pods waiting in each of the queue's parts.
    func pending(_ counts: [SchedulingQueue.Location: Int]) {
        let queues: [(String, SchedulingQueue.Location?)] = [("active", .active), ("backoff", .backoff), ("unschedulable", .unschedulable), ("gated", nil)]
        for (name, location) in queues {
            Gauge(label: "scheduler_pending_pods", dimensions: [("queue", name)]).record(location.flatMap { counts[$0] } ?? 0)
        }
    }

    /// Preemption ran for a pod that fits nowhere.
    func preemptionAttempt() {
        Counter(label: "scheduler_preemption_attempts_total").increment()
    }

    /// A preemption evicted `victims` pods.
    func preemption(victims: Int) {
        Recorder(label: "scheduler_preemption_victims").record(victims)
    }
}
