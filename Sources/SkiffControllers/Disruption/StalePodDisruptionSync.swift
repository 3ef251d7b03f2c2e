import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Resets a `DisruptionTarget=True` condition that no deletion followed (upstream's
/// `syncStalePodDisruption`): two minutes after the condition's transition, a pod that is not
/// being deleted, not finished, and whose condition the kubelet did not set
/// (`TerminationByKubelet`) gets `DisruptionTarget=False`.
struct StalePodDisruptionSync: Reconciler {
    let pods: TypedLister<CoreV1.Pod>
    let client: KubernetesClient
    let clock: any TimestampClock

    /// How long a disruption condition may stand without a deletion (upstream's `stalePodDisruptionTimeout`).
    static let timeout: Int64 = 120

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let pod = pods.get(key: key), !pod.isBeingDeleted, !pod.isFinished,
            let condition = pod.status?.conditions?.first(where: { $0.type == "DisruptionTarget" }),
            condition.status == "True", condition.reason != "TerminationByKubelet"
        else { return .done }
        let now = clock.now
        let stale = (condition.lastTransitionTime ?? now).adding(seconds: Self.timeout)
        if stale > now { return .requeueAfter(stale.duration(since: now)) }
        var reset = pod
        reset.status?.conditions = pod.status?.conditions?.map { condition in
            guard condition.type == "DisruptionTarget" else { return condition }
            return CoreV1.PodCondition(lastTransitionTime: now, status: "False", type: "DisruptionTarget")
        }
        do {
            _ = try await client.core.v1.pods(pod.namespace).updateStatus(reset)
            logger.debug("reset a stale DisruptionTarget condition")
        } catch let error as APIError where error.isNotFound {
            return .done
        }
        return .done
    }
}
