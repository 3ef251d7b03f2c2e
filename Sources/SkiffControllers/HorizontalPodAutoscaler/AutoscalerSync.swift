import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One autoscaler's pass (upstream's `reconcileAutoscaler`, without metrics): the target's
/// scale, a rescale into `minReplicas`…`maxReplicas`, or the metrics' failure; then the status.
struct AutoscalerSync: Reconciler {
    let autoscalers: TypedLister<AutoscalingV2.HorizontalPodAutoscaler>
    let client: KubernetesClient
    let mapper: RESTMapper
    let recorder: EventRecorder
    let clock: any TimestampClock
    let syncPeriod: Duration

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let autoscaler = autoscalers.get(key: key), let spec = autoscaler.spec else { return .done }
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
            // Without a metrics API every metric fails; upstream then keeps the replicas and
            // records the current replicas and empty metric statuses only.
            await reportFailedMetrics(spec.metrics ?? [], of: &updated, reference: reference, now: now)
            updated.status?.currentReplicas = current
            try await writeStatus(of: autoscaler, updated)
            return .requeueAfter(syncPeriod)
        }
        let rescale = desired != current && !rescaleReason.isEmpty
        if rescale {
            do {
                var scale = target.scale
                scale.spec = Scale.Spec(replicas: desired)
                _ = try await target.client.updateScale(spec.scaleTargetRef.name, scale)
                await recorder.record(reference, reason: "SuccessfulRescale", message: "New size: \(desired); reason: \(rescaleReason)")
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
        status.currentMetrics = nil
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

    /// Every metric's failure as upstream's without a metrics server: an event per metric, then
    /// `FailedComputeMetricsReplicas` and the first failure's `ScalingActive=False` condition,
    /// with an empty status per metric.
    private func reportFailedMetrics(_ metrics: [AutoscalingV2.MetricSpec], of autoscaler: inout AutoscalingV2.HorizontalPodAutoscaler,
                                     reference: ObjectReference, now: Timestamp) async {
        let failures = metrics.map(MetricFailure.init)
        for failure in failures {
            await recorder.record(reference, type: .warning, reason: failure.reason, message: failure.message)
        }
        autoscaler.status?.currentMetrics = metrics.isEmpty ? nil : metrics.map { _ in AutoscalingV2.MetricStatus(type: "") }
        guard let first = failures.first else { return }
        autoscaler.setCondition("ScalingActive", false, reason: first.reason,
                                message: "the HPA was unable to compute the replica count: \(first.message)", now: now)
        await recorder.record(reference, type: .warning, reason: "FailedComputeMetricsReplicas",
                              message: "invalid metrics (\(failures.count) invalid out of \(metrics.count)), first error is: \(first.message)")
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
