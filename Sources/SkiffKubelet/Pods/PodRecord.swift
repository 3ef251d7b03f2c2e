import SkiffAPI
import SkiffModels

/// What a kubelet remembers about a pod it runs: its sandbox and IP, and per container the
/// runtime container and restart bookkeeping (the runtime's containers come and go with
/// restarts; the restart count and back-off belong to the pod).
struct PodRecord: Sendable, Equatable {
    /// One container of the pod, by `init/<name>` or `app/<name>`.
    struct Container: Sendable, Hashable {
        /// The current runtime container.
        var containerID: String
        var restartCount: Int64 = 0
        /// How the previous runtime container ended (`lastState`).
        var lastTermination: RuntimeContainerStatus?
        /// The wait before the next restart (0 until the first restart; then 10 s doubling to 5 min).
        var backoffSeconds: Int64 = 0
        /// The current runtime container's probes (runtimes that run them).
        var probes: [ProbeKind: ProbeState] = [:]
    }

    var uid: String
    var nodeName: String
    var sandboxID: String?
    var podIP: String?
    /// Whether `podIP` is taken from the node's allocator (not the host's address, not released yet).
    var holdsIP = false
    var containers: [String: Container] = [:]
    /// The pod's managed hosts file, bound to every container's `/etc/hosts` (nil: none written yet, or no volume manager).
    var hostsFile: String?
    /// The host paths of the pod's prepared volumes, by volume name.
    var volumePaths: [String: String] = [:]
    /// Per container key, the image pull that failed last and when to try again.
    var imagePullBackoff: [String: ImagePullBackoff] = [:]
    /// When stopping began (the pod was deleted).
    var stoppingSince: Timestamp?
    /// The status reported once the pod finished; a finished pod never runs again.
    var terminalStatus: CoreV1.PodStatus?
    /// When this kubelet first saw the pod, until its start is measured (`kubelet_pod_start_duration_seconds`);
    /// nil once measured, or for a pod already running when first seen.
    var awaitingStartSince: Timestamp?
}
