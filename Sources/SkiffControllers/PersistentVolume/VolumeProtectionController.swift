import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// Keeps a volume while it is bound (upstream's `persistentvolume-protection-controller`): every
/// volume gets the `kubernetes.io/pv-protection` finalizer; a volume being deleted loses it once
/// its phase is no longer `Bound`.
public struct VolumeProtectionController: Sendable {
    private let controller: Controller<CoreV1.PersistentVolume>

    public init(context: ControllerContext) {
        let volumes = context.informers.informer(for: CoreV1.PersistentVolume.self)
        let sync = ProtectionFinalizerSync(
            finalizer: StorageAnnotations.volumeProtectionFinalizer, objects: volumes.lister, client: context.client.core.v1.persistentVolumes()
        ) { volume in volume.status?.phase == "Bound" }
        controller = Controller(
            configuration: .init(name: "pv-protection"), informer: volumes, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "pv-protection"))
    }

    /// Protects volumes until cancelled.
    public func run() async {
        await controller.run()
    }
}
