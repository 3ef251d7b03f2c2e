/// The label and annotation keys upstream's kubelet puts on CRI sandboxes and containers
/// (pkg/kubelet/kuberuntime/labels.go), by which a restarted kubelet finds its pods again.
enum CRILabels {
    static let podName = "io.kubernetes.pod.name"
    static let podNamespace = "io.kubernetes.pod.namespace"
    static let podUID = "io.kubernetes.pod.uid"
    static let containerName = "io.kubernetes.container.name"
    static let podTerminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod"
    static let containerRestartCount = "io.kubernetes.container.restartCount"
    static let containerTerminationMessagePath = "io.kubernetes.container.terminationMessagePath"
    static let containerTerminationMessagePolicy = "io.kubernetes.container.terminationMessagePolicy"
}
