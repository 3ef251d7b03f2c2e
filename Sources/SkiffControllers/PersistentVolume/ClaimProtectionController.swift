import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// Keeps a claim while a pod uses it (upstream's `persistentvolumeclaim-protection-controller`):
/// every claim gets the `kubernetes.io/pvc-protection` finalizer; a claim being deleted loses it
/// once no scheduled, unfinished pod of its namespace has a volume naming it (the kubelet runs
/// only scheduled pods). Pod changes queue the claims the pod names.
public struct ClaimProtectionController: Sendable {
    private let controller: Controller<CoreV1.PersistentVolumeClaim>

    public init(context: ControllerContext) {
        let claims = context.informers.informer(for: CoreV1.PersistentVolumeClaim.self)
        let pods = context.informers.informer(for: CoreV1.Pod.self)
        let podLister = pods.lister
        let sync = ProtectionFinalizerSync(
            finalizer: StorageAnnotations.claimProtectionFinalizer, objects: claims.lister,
            client: context.client.core.v1.persistentVolumeClaims()
        ) { claim in
            podLister.namespace(claim.namespace).list().contains { pod in
                !(pod.spec?.nodeName ?? "").isEmpty && !pod.isFinished && pod.usesClaim(named: claim.name)
            }
        }
        controller = Controller(
            configuration: .init(name: "pvc-protection"), informer: claims, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "pvc-protection"))
        controller.watch(pods) { pod in
            pod.claimNames.map { "\(pod.namespace)/\($0)" }
        }
    }

    /// Protects claims until cancelled.
    public func run() async {
        await controller.run()
    }
}
