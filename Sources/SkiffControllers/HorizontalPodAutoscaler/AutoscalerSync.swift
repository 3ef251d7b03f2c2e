import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One autoscaler's pass (upstream's `reconcileAutoscaler`): the target's scale; a rescale into
/// `minReplicas`…`maxReplicas`, or the replicas its metrics call for (`MetricEvaluation`),
/// stabilized and rate-limited (`ReplicaNormalizer`); then the conditions and the status.
struct AutoscalerSync: Reconciler {
    let autoscalers: TypedLister<AutoscalingV2.HorizontalPodAutoscaler>
    let pods: TypedLister<CoreV1.Pod>
    let client: KubernetesClient
    let metrics: ResourceMetricsClient
    let calculator: ReplicaCalculator
    let normalizer: ReplicaNormalizer
    let history: ScalingHistory
    let mapper: RESTMapper
    let recorder: EventRecorder
    let clock: any TimestampClock
    let syncPeriod: Duration

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let autoscaler = autoscalers.get(key: key), let spec = autoscaler.spec else {
            history.forget(key)
            return .done
        }
        let reference = ObjectReference(autoscaler)
        var updated = autoscaler
        let now = clock.now
        let target: (client: ResourceClient<JSONValue>, scale: Scale)
        do {
            target = try await scale(of: spec.scaleTargetRef, namespace: autoscaler.namespace)
        } catch {
            let message = Self.message(of: error)
            await recorder.record(reference, type: .warning, reason: "FailedGetScale", message: message)
            updated.setCondition("AbleToScale", false, reason: "FailedGetScale",
                                 message: "the HPA controller was unable to get the target's current scale: \(message)", now: now)
            try await writeStatus(of: autoscaler, updated)
            return .requeueAfter(syncPeriod)
        }
        updated.setCondition("AbleToScale", true, reason: "SucceededGetScale", message: "the HPA controller was able to get the target's current scale", now: now)
        let current = target.scale.spec?.replicas ?? 0
        let minimum = spec.minReplicas ?? 1
        let desired: Int32
        let rescaleReason: String
        var metricStatuses: [AutoscalingV2.MetricStatus] = []
        if current == 0, minimum != 0 {
            updated.setCondition("ScalingActive", false, reason: "ScalingDisabled",
                                 message: "scaling is disabled since the replica count of the target is zero", now: now)
            desired = 0
            rescaleReason = ""
        } else if current > spec.maxReplicas {
            desired = spec.maxReplicas
            rescaleReason = "Current number of replicas above Spec.MaxReplicas"
        } else if current < minimum {
            desired = minimum
            rescaleReason = "Current number of replicas below Spec.MinReplicas"
        } else {
            let evaluation = await MetricEvaluation.evaluate(
                spec.metrics ?? [], current: current, namespace: autoscaler.namespace,
                selector: target.scale.status?.selector ?? "", pods: pods, client: metrics, calculator: calculator, now: now)
            for failure in evaluation.failures {
                await recorder.record(reference, type: .warning, reason: failure.reason, message: failure.message)
            }
            guard let proposal = evaluation.replicas else {
                if let first = evaluation.failures.first {
                    updated.setCondition("ScalingActive", false, reason: first.reason,
                                         message: "the HPA was unable to compute the replica count: \(first.message)", now: now)
                    await recorder.record(reference, type: .warning, reason: "FailedComputeMetricsReplicas",
                                          message: "invalid metrics (\(evaluation.failures.count) invalid out of \(spec.metrics?.count ?? 0)), first error is: \(first.message)")
                }
                updated.status?.currentReplicas = current
                updated.status?.currentMetrics = evaluation.statuses.isEmpty ? nil : evaluation.statuses
                try await writeStatus(of: autoscaler, updated)
                return .requeueAfter(syncPeriod)
            }
            updated.setCondition("ScalingActive", true, reason: "ValidMetricFound",
                                 message: "the HPA was able to successfully calculate a replica count from \(evaluation.metricName)", now: now)
            let outcome = history.with(key) { normalizer.normalize(&$0, spec: spec, current: current, desired: proposal, now: now) }
            updated.setCondition("AbleToScale", true, reason: outcome.ableToScale.reason, message: outcome.ableToScale.message, now: now)
            updated.setCondition("ScalingLimited", outcome.limited.isLimited, reason: outcome.limited.reason, message: outcome.limited.message, now: now)
            desired = outcome.replicas
            rescaleReason = desired > current ? "\(evaluation.metricName) above target" : "All metrics below target"
            metricStatuses = evaluation.statuses
        }
        let rescale = desired != current && !rescaleReason.isEmpty
        if rescale {
            do {
                var scale = target.scale
                scale.spec = Scale.Spec(replicas: desired)
                _ = try await target.client.updateScale(spec.scaleTargetRef.name, scale)
                await recorder.record(reference, reason: "SuccessfulRescale", message: "New size: \(desired); reason: \(rescaleReason)")
                if let behavior = spec.behavior {
                    let periods = (behavior.scaleUp?.policies ?? []) + (behavior.scaleDown?.policies ?? [])
                    let longest = Duration.seconds(Int64(periods.map(\.periodSeconds).max() ?? 15))
                    history.with(key) { ReplicaNormalizer.recordScale(&$0, from: current, to: desired, at: now, longestPeriod: longest) }
                }
                updated.setCondition("AbleToScale", true, reason: "SucceededRescale",
                                     message: "the HPA controller was able to update the target scale to \(desired)", now: now)
            } catch {
                let message = Self.message(of: error)
                await recorder.record(reference, type: .warning, reason: "FailedRescale",
                                      message: "New size: \(desired); reason: \(rescaleReason); error: \(message)")
                updated.setCondition("AbleToScale", false, reason: "FailedUpdateScale",
                                     message: "the HPA controller was unable to update the target scale: \(message)", now: now)
                try await writeStatus(of: autoscaler, updated)
                return .requeueAfter(syncPeriod)
            }
        }
        var status = updated.status ?? AutoscalingV2.HorizontalPodAutoscalerStatus(desiredReplicas: 0)
        status.currentReplicas = current
        status.desiredReplicas = desired
        status.currentMetrics = metricStatuses.isEmpty ? nil : metricStatuses
        status.observedGeneration = autoscaler.metadata?.generation
        if rescale { status.lastScaleTime = now }
        updated.status = status
        try await writeStatus(of: autoscaler, updated)
        return .requeueAfter(syncPeriod)
    }

    /// The target's resource client and scale (upstream's `scaleForResourceMappings`).
    private func scale(of target: AutoscalingV2.CrossVersionObjectReference, namespace: String) async throws -> (ResourceClient<JSONValue>, Scale) {
        guard let groupVersion = GroupVersion(apiVersion: target.apiVersion ?? "") else {
            throw APIError.badRequest("unexpected GroupVersion string: \(target.apiVersion ?? "")")
        }
        let mapping = try await mapper.mapping(for: GroupVersionKind(group: groupVersion.group, version: groupVersion.version, kind: target.kind))
        let resource = client.dynamic.resource(mapping.resource).namespace(namespace)
        return (resource, try await resource.scale(target.name))
    }

    private func writeStatus(of autoscaler: AutoscalingV2.HorizontalPodAutoscaler, _ updated: AutoscalingV2.HorizontalPodAutoscaler) async throws {
        try await StatusWriter.write(autoscaler, through: client.autoscaling.v2.horizontalPodAutoscalers(autoscaler.namespace)) { latest, _ in
            latest.status = updated.status
        }
    }

    static func message(of error: any Error) -> String {
        (error as? APIError)?.message ?? "\(error)"
    }
}
