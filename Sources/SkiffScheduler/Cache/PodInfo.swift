import SkiffAPI
import SkiffComponentHelpers
import SkiffModels

/// What the scheduler needs of a Pod, derived once from the typed object when the informer
/// delivers it (upstream's `framework.PodInfo`), so that filters and scores read precomputed
/// fields: requests in integer units, host ports, parsed affinity and spread selectors.
final class PodInfo: Sendable {
    /// `namespace/name`.
    let key: String
    let namespace: String
    let name: String
    let uid: String
    let labels: [String: String]
    /// `spec.priority` (0 when unset).
    let priority: Int64
    /// Whether the pod may preempt others (`spec.preemptionPolicy` is not `Never`).
    let mayPreempt: Bool
    /// `status.nominatedNodeName`: where preemption made room for the pod.
    let nominatedNodeName: String
    /// `status.startTime`, nil before the kubelet starts the pod.
    let startTime: Timestamp?
    /// Being deleted by a preemption (upstream's `podTerminatingByPreemption`): a deletion
    /// timestamp and the `DisruptionTarget` condition with reason `PreemptionByScheduler`.
    let isTerminatingByPreemption: Bool
    let nodeName: String
    let schedulerName: String
    /// `Succeeded` or `Failed`.
    let isTerminal: Bool
    let isBeingDeleted: Bool
    /// Requests as NodeResourcesFit counts them.
    let requests: ComputeResources
    /// Requests with upstream's defaults for containers that request no CPU or memory (for scores).
    let nonZeroRequests: ComputeResources
    let hostPorts: [HostPort]
    /// `spec.nodeSelector` and the required node affinity.
    let requiredNodeAffinity: RequiredNodeAffinity
    let preferredNodeAffinity: [CoreV1.PreferredSchedulingTerm]
    let tolerations: [CoreV1.Toleration]
    /// `whenUnsatisfiable: DoNotSchedule` constraints.
    let spreadConstraints: [TopologySpreadConstraint]
    let requiredAffinityTerms: [AffinityTerm]
    let requiredAntiAffinityTerms: [AffinityTerm]
    /// The claims the pod's `persistentVolumeClaim` and `ephemeral` volumes use.
    let claimNames: [String]
    /// The pod without status and server-maintained metadata, to tell real updates from status writes.
    let specification: CoreV1.Pod

    init(_ pod: CoreV1.Pod) {
        let metadata = pod.metadata ?? ObjectMeta()
        let namespace = pod.namespace
        let labels = metadata.labels ?? [:]
        self.namespace = namespace
        name = pod.name
        key = pod.cacheKey
        uid = metadata.uid ?? ""
        self.labels = labels
        let spec = pod.spec
        priority = Int64(spec?.priority ?? 0)
        mayPreempt = spec?.preemptionPolicy != "Never"
        nominatedNodeName = pod.status?.nominatedNodeName ?? ""
        startTime = pod.status?.startTime
        nodeName = spec?.nodeName ?? ""
        schedulerName = spec?.schedulerName ?? ""
        let phase = pod.status?.phase
        isTerminal = phase == "Succeeded" || phase == "Failed"
        isBeingDeleted = metadata.deletionTimestamp != nil
        let disruption = pod.status?.conditions?.first { $0.type == "DisruptionTarget" }
        isTerminatingByPreemption = isBeingDeleted && disruption?.status == "True" && disruption?.reason == "PreemptionByScheduler"
        requests = PodRequests.of(spec, nonZero: false)
        nonZeroRequests = PodRequests.of(spec, nonZero: true)
        hostPorts = HostPort.of(spec)
        requiredNodeAffinity = RequiredNodeAffinity(spec)
        preferredNodeAffinity = spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        tolerations = spec?.tolerations ?? []
        spreadConstraints = (spec?.topologySpreadConstraints ?? [])
            .filter { $0.whenUnsatisfiable == "DoNotSchedule" }
            .map { TopologySpreadConstraint($0, podLabels: labels) }
        requiredAffinityTerms = (spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
            .map { AffinityTerm($0, podNamespace: namespace) }
        requiredAntiAffinityTerms = (spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
            .map { AffinityTerm($0, podNamespace: namespace) }
        claimNames = pod.claimNames
        var specification = pod
        specification.status = nil
        specification.metadata?.resourceVersion = nil
        specification.metadata?.generation = nil
        specification.metadata?.managedFields = nil
        specification.metadata?.finalizers = nil
        self.specification = specification
    }

    /// Whether this scheduler (`default-scheduler`) schedules the pod.
    var isForDefaultScheduler: Bool { schedulerName.isEmpty || schedulerName == Scheduler.name }

    /// Whether the pod has required pod affinity terms.
    var hasRequiredAffinity: Bool { !requiredAffinityTerms.isEmpty }

    /// Whether the pod has required pod anti-affinity terms.
    var hasRequiredAntiAffinity: Bool { !requiredAntiAffinityTerms.isEmpty }

    /// Whether the pod matches every one of `terms` (upstream's `podMatchesAllAffinityTerms`; false for none).
    func matchesAll(_ terms: [AffinityTerm]) -> Bool {
        !terms.isEmpty && terms.allSatisfy { $0.matches(self) }
    }
}
