import SkiffAPI
import SkiffModels

/// The three probes of a container.
enum ProbeKind: String, Sendable, Hashable {
    case startup = "Startup"
    case liveness = "Liveness"
    case readiness = "Readiness"
}

/// One probe's bookkeeping for one run of a container, as upstream's prober worker keeps it:
/// when it runs next, the consecutive successes and failures, and the result, which changes only
/// after `successThreshold` successes or `failureThreshold` failures in a row.
struct ProbeState: Sendable, Hashable {
    /// When the probe runs next (the first time `initialDelaySeconds` after the start).
    var nextAt: Timestamp
    var successes: Int32 = 0
    var failures: Int32 = 0
    /// nil until a threshold was reached.
    var result: Bool?

    /// A probe of a container started at `startedAt`.
    init(_ probe: CoreV1.Probe, startedAt: Timestamp) {
        nextAt = startedAt.adding(seconds: Int64(probe.initialDelaySeconds ?? 0))
    }

    /// Counts one outcome at `now` and schedules the next run `periodSeconds` later.
    mutating func record(success: Bool, of probe: CoreV1.Probe, now: Timestamp) {
        if success {
            successes += 1
            failures = 0
            if successes >= max(probe.successThreshold ?? 1, 1) { result = true }
        } else {
            failures += 1
            successes = 0
            if failures >= max(probe.failureThreshold ?? 3, 1) { result = false }
        }
        nextAt = now.adding(seconds: Int64(max(probe.periodSeconds ?? 10, 1)))
    }
}
