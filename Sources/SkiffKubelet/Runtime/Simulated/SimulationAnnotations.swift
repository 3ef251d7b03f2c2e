import SkiffAPI
import SkiffModels

/// Pod annotations that tell the simulated runtime how the pod's containers behave (kwok's
/// stages, reduced to what workloads need): by default containers run until the pod is
/// deleted, init containers finish at once with exit code 0.
public enum SimulationAnnotations {
    /// Seconds after which every regular container exits on its own (decimal, e.g. `"2"`, `"0.5"`).
    public static let runSeconds = "skiff.dev/simulate-run-seconds"
    /// The exit code of containers that exit on their own (default `0`).
    public static let exitCode = "skiff.dev/simulate-exit-code"
    /// Seconds stopping takes when the pod is deleted (capped by its grace period; default `0`).
    public static let stopSeconds = "skiff.dev/simulate-stop-seconds"
    /// The CPU each container uses, a quantity (`"250m"`: a quarter of a core); by default a tenth
    /// of its CPU request (see `SimulatedUsageRate`). The kubelet's `/metrics/resource` reports it.
    public static let cpuUsage = "skiff.dev/simulate-cpu-usage"
    /// The memory each container uses, a quantity (`"64Mi"`); by default half its memory request.
    public static let memoryUsage = "skiff.dev/simulate-memory-usage"

    /// How the regular containers of `pod` behave.
    static func containerBehaviour(of pod: CoreV1.Pod) -> SimulatedBehaviour {
        let annotations = pod.metadata?.annotations ?? [:]
        return SimulatedBehaviour(
            runSeconds: annotations[runSeconds].flatMap(Double.init).map { max($0, 0) },
            exitCode: annotations[exitCode].flatMap { Int32($0) } ?? 0)
    }

    /// How long stopping the pod's containers takes, at most its grace period.
    static func stopDuration(of pod: CoreV1.Pod) -> Double {
        let wanted = pod.metadata?.annotations?[stopSeconds].flatMap(Double.init) ?? 0
        let grace = Double(pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30)
        return max(min(wanted, grace), 0)
    }
}
