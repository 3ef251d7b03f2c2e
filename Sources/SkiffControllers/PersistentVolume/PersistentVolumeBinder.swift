import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// Binds PersistentVolumeClaims to PersistentVolumes (upstream's `persistentvolume-binder`
/// controller, whose events come from `persistentvolume-controller`): claims are matched to the
/// smallest fitting available volume or to the volume they name, volumes follow their claims
/// through `Available`, `Bound`, `Released` and `Failed`, claims through `Pending`, `Bound` and
/// `Lost`; claims of a class with a provisioner are handed to it; released volumes are kept
/// (`Retain`) or deleted (`Delete`: by their provisioner when one made them, here otherwise).
///
/// Two queues, as upstream: claims (`namespace/name`) and volumes (`name`). A changed volume
/// queues the claim it names and the claims still pending (upstream finds those on its
/// periodic resync); a changed claim queues its volume.
public struct PersistentVolumeBinder: Sendable {
    /// The component events are recorded as (upstream's).
    static let component = "persistentvolume-controller"

    private let claimController: Controller<CoreV1.PersistentVolumeClaim>
    private let volumeController: Controller<CoreV1.PersistentVolume>

    public init(context: ControllerContext) {
        let claims = context.informers.informer(for: CoreV1.PersistentVolumeClaim.self)
        let volumes = context.informers.informer(for: CoreV1.PersistentVolume.self)
        let classes = context.informers.informer(for: StorageV1.StorageClass.self)
        let pods = context.informers.informer(for: CoreV1.Pod.self)
        let binding = VolumeBinding(
            claims: claims.lister, volumes: volumes.lister, classes: classes.lister, pods: pods.lister,
            claimClient: context.client.core.v1.persistentVolumeClaims(), volumeClient: context.client.core.v1.persistentVolumes(),
            events: context.eventRecorder(component: Self.component))
        let logger = context.logger(for: "persistentvolume-binder")
        claimController = Controller(
            configuration: .init(name: "claims"), informer: claims, key: \.cacheKey, reconciler: ClaimSync(binding: binding),
            clock: context.clock, logger: logger)
        volumeController = Controller(
            configuration: .init(name: "volumes"), informer: volumes, key: \.cacheKey,
            reconciler: VolumeSync(binding: binding, claimQueue: claimController.queue), clock: context.clock, logger: logger)
        let claimLister = claims.lister
        claimController.watch(volumes) { volume in
            let pending = claimLister.list().filter { !$0.isBindCompleted }.map(\.cacheKey)
            guard let reference = volume.spec?.claimRef, let name = reference.name else { return pending }
            return pending + ["\(reference.namespace ?? "")/\(name)"]
        }
        volumeController.watch(claims) { claim in claim.spec?.volumeName.map { [$0] } ?? [] }
        // A new class (the default one, for instance) may let pending claims provision.
        claimController.watch(classes) { _ in claimLister.list().filter { !$0.isBindCompleted }.map(\.cacheKey) }
    }

    /// Binds until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await claimController.run() }
            group.addTask { await volumeController.run() }
        }
    }
}
