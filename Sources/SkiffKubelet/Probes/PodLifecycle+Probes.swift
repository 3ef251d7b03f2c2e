import SkiffAPI
import SkiffClient
import SkiffModels

extension PodLifecycle {
    /// What a running container's probes decided at one sync.
    struct ProbeVerdict: Sendable, Hashable {
        /// The startup probe succeeded (or there is none).
        var started = true
        /// The readiness probe succeeded (or there is none) after the start.
        var ready = false
        /// The liveness or startup probe failed: why the container is restarted.
        var killReason: String?
    }

    /// Runs the container's due probes in upstream's order (startup first; liveness and
    /// readiness once started), records an `Unhealthy` event for each failure, and moves `wake`
    /// to the next probe's time.
    func probe(
        _ spec: CoreV1.Container, key: String, pod: CoreV1.Pod, entry: inout PodRecord.Container, startedAt: Timestamp, podIP: String, now: Timestamp,
        wake: inout Timestamp?
    ) async -> ProbeVerdict {
        var verdict = ProbeVerdict()
        if let startup = spec.startupProbe, entry.probes[.startup]?.result != true {
            let result = await step(.startup, startup, spec, key: key, pod: pod, entry: &entry, startedAt: startedAt, podIP: podIP, now: now, wake: &wake)
            verdict.started = result == true
            if result == false { verdict.killReason = "Container \(spec.name) failed startup probe, will be restarted" }
        }
        guard verdict.started else { return verdict }
        if let liveness = spec.livenessProbe,
            await step(.liveness, liveness, spec, key: key, pod: pod, entry: &entry, startedAt: startedAt, podIP: podIP, now: now, wake: &wake) == false {
            verdict.killReason = "Container \(spec.name) failed liveness probe, will be restarted"
        }
        if let readiness = spec.readinessProbe {
            verdict.ready = await step(.readiness, readiness, spec, key: key, pod: pod, entry: &entry, startedAt: startedAt, podIP: podIP, now: now, wake: &wake) == true
        } else {
            verdict.ready = true
        }
        return verdict
    }

    /// Runs one probe if it is due; returns its result.
    private func step(
        _ kind: ProbeKind, _ probe: CoreV1.Probe, _ spec: CoreV1.Container, key: String, pod: CoreV1.Pod, entry: inout PodRecord.Container,
        startedAt: Timestamp, podIP: String, now: Timestamp, wake: inout Timestamp?
    ) async -> Bool? {
        var state = entry.probes[kind] ?? ProbeState(probe, startedAt: startedAt)
        if state.nextAt <= now {
            let outcome = await ProbeRunner(runtime: runtime).run(probe, containerID: entry.containerID, container: spec, podIP: podIP)
            state.record(success: outcome.success, of: probe, now: now)
            if !outcome.success {
                await events?.record(Self.reference(pod, containerKey: key), type: .warning, reason: "Unhealthy", message: "\(kind.rawValue) probe failed: \(outcome.message)")
            }
        }
        wake = wake.map { min($0, state.nextAt) } ?? state.nextAt
        entry.probes[kind] = state
        return state.result
    }
}
