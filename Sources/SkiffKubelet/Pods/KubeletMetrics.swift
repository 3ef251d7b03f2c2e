import Metrics

/// The kubelet's metrics under upstream's names: `kubelet_pod_start_duration_seconds` (from the
/// kubelet first seeing a pod to the pod running) and `kubelet_running_pods` (pods with a running
/// sandbox). A process hosting several simulated nodes reports them together.
enum KubeletMetrics {
    static func podStarted(after duration: Duration) {
        Timer(label: "kubelet_pod_start_duration_seconds").record(duration: duration)
    }

    static func runningPods(_ count: Int) {
        Gauge(label: "kubelet_running_pods").record(count)
    }
}
