import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// Creates the claims of pods' generic ephemeral volumes (upstream's ephemeral-volume
/// controller): for each `volumes[].ephemeral.volumeClaimTemplate` of a pod not being deleted, the
/// PersistentVolumeClaim `<pod>-<volume>` with the template's labels, annotations and spec,
/// controlled by the pod (`controller` and `blockOwnerDeletion`), so the binder and a provisioner
/// give it a volume, the kubelet mounts it, and the garbage collector deletes it with the pod.
/// A claim of that name the pod does not own is a conflict: a `FailedBinding` warning on the pod
/// (upstream's message) and a retry with back-off. A deleted claim is made again while its pod
/// lives.
public struct EphemeralVolumeController: Sendable {
    static let component = "ephemeral_volume"

    private let controller: Controller<CoreV1.Pod>

    public init(context: ControllerContext, workers: Int = 1) {
        let pods = context.informers.informer(for: CoreV1.Pod.self)
        let claims = context.informers.informer(for: CoreV1.PersistentVolumeClaim.self)
        let sync = Sync(
            pods: pods.lister, claims: claims.lister, client: context.client.core.v1.persistentVolumeClaims(),
            recorder: context.eventRecorder(component: Self.component))
        controller = Controller(
            configuration: .init(name: "ephemeral_volume", workers: workers), informer: pods, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "ephemeral-volume"))
        let podLister = pods.lister
        // A claim's changes (its deletion above all) queue the pods whose ephemeral volume it is.
        controller.watch(claims) { claim in
            podLister.namespace(claim.namespace).list().filter { $0.claimNames.contains(claim.name) }.map(\.cacheKey)
        }
    }

    /// Creates claims until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let pods: TypedLister<CoreV1.Pod>
        let claims: TypedLister<CoreV1.PersistentVolumeClaim>
        let client: ResourceClient<CoreV1.PersistentVolumeClaim>
        let recorder: EventRecorder

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let pod = pods.get(key), pod.metadata?.deletionTimestamp == nil else { return .done }
            for volume in pod.spec?.volumes ?? [] {
                guard let template = volume.ephemeral?.volumeClaimTemplate else { continue }
                do {
                    try await ensureClaim(of: pod, volume: volume.name, template: template, logger: logger)
                } catch {
                    await recorder.record(ObjectReference(pod), type: .warning, reason: "FailedBinding", message: "ephemeral volume \(volume.name): \(error)")
                    throw error
                }
            }
            return .done
        }

        private func ensureClaim(of pod: CoreV1.Pod, volume: String, template: CoreV1.PersistentVolumeClaimTemplate, logger: Logger) async throws {
            let name = "\(pod.name)-\(volume)"
            if let existing = claims.namespace(pod.namespace).get(name) {
                guard existing.metadata?.ownerReferences?.contains(where: { $0.controller == true && $0.uid == pod.metadata?.uid }) ?? false else {
                    throw EphemeralVolumeError("PVC \(pod.namespace)/\(name) was not created for pod \(pod.namespace)/\(pod.name) (pod is not owner)")
                }
                return
            }
            var claim = CoreV1.PersistentVolumeClaim(spec: template.spec)
            claim.metadata = ObjectMeta(
                name: name, namespace: pod.namespace, labels: template.metadata?.labels, annotations: template.metadata?.annotations,
                ownerReferences: [
                    OwnerReference(apiVersion: "v1", kind: "Pod", name: pod.name, uid: pod.metadata?.uid ?? "", controller: true, blockOwnerDeletion: true),
                ])
            do {
                _ = try await client.namespace(pod.namespace).create(claim)
                logger.debug("created the claim of an ephemeral volume", metadata: ["claim": "\(name)"])
            } catch let error as APIError where error.isAlreadyExists {
                // The cache has not seen it yet: its event queues the pod again, which checks the owner.
            } catch {
                throw EphemeralVolumeError("create PVC \(name): \(error)")
            }
        }
    }
}
