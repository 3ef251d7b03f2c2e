import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// The dynamic provisioner k3s ships (`rancher.io/local-path`), as a controller of the manager:
/// it keeps the default StorageClass `local-path` (`WaitForFirstConsumer`, reclaim `Delete`),
/// makes a `hostPath` volume in a directory of its own under `directory` for each claim the
/// binder hands it, on the node the scheduler selected (the volume's node affinity keeps its
/// pods there), and removes the directory and the volume once a `Delete` volume is released.
///
/// The directory is made and removed by the controller manager, so it must run on the nodes'
/// machine (`skiff up`); the kubelet also creates a missing one (`DirectoryOrCreate`).
public struct LocalPathProvisioner: Sendable {
    /// Where volumes go.
    public struct Configuration: Sendable {
        /// The directory holding one directory per volume (`pvc-<uid>_<namespace>_<name>`).
        public var directory: String

        public init(directory: String) {
            self.directory = directory
        }
    }

    /// The provisioner's name (the class's `provisioner`, the volumes' `provisioned-by`).
    public static let name = "rancher.io/local-path"
    /// The default StorageClass the provisioner keeps.
    public static let storageClassName = "local-path"

    private let classController: Controller<StorageV1.StorageClass>
    private let claimController: Controller<CoreV1.PersistentVolumeClaim>
    private let volumeController: Controller<CoreV1.PersistentVolume>

    public init(context: ControllerContext, configuration: Configuration) {
        let claims = context.informers.informer(for: CoreV1.PersistentVolumeClaim.self)
        let volumes = context.informers.informer(for: CoreV1.PersistentVolume.self)
        let classes = context.informers.informer(for: StorageV1.StorageClass.self)
        let storage = LocalPathStorage(
            directory: configuration.directory, claims: claims.lister, volumes: volumes.lister, classes: classes.lister,
            volumeClient: context.client.core.v1.persistentVolumes(), events: context.eventRecorder(component: Self.name))
        let logger = context.logger(for: "local-path-provisioner")
        classController = Controller(
            configuration: .init(name: "local-path-class"), informer: classes, key: \.cacheKey,
            reconciler: DefaultClassSync(classes: classes.lister, client: context.client.storage.v1.storageClasses()),
            clock: context.clock, logger: logger)
        claimController = Controller(
            configuration: .init(name: "local-path-claims"), informer: claims, key: \.cacheKey, reconciler: ProvisionSync(storage: storage),
            clock: context.clock, logger: logger)
        volumeController = Controller(
            configuration: .init(name: "local-path-volumes"), informer: volumes, key: \.cacheKey, reconciler: DeleteSync(storage: storage),
            clock: context.clock, logger: logger)
        // The class is made at start (and again when deleted), not only when some class changes.
        classController.queue.add(Self.storageClassName)
    }

    /// Provisions until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await classController.run() }
            group.addTask { await claimController.run() }
            group.addTask { await volumeController.run() }
        }
    }

    /// Creates the `local-path` class when it is missing.
    private struct DefaultClassSync: Reconciler {
        let classes: TypedLister<StorageV1.StorageClass>
        let client: ResourceClient<StorageV1.StorageClass>

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard key == LocalPathProvisioner.storageClassName, classes.get(key) == nil else { return .done }
            let storageClass = StorageV1.StorageClass(
                metadata: ObjectMeta(name: key, annotations: [StorageV1.StorageClass.defaultClassAnnotations[0]: "true"]),
                provisioner: LocalPathProvisioner.name, reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer")
            do {
                _ = try await client.create(storageClass)
                logger.info("created the default storage class", metadata: ["class": "\(key)"])
            } catch let error as APIError where error.isAlreadyExists {
                return .done
            }
            return .done
        }
    }

    private struct ProvisionSync: Reconciler {
        let storage: LocalPathStorage

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let claim = storage.claims.get(key: key) else { return .done }
            try await storage.provision(claim, logger: logger)
            return .done
        }
    }

    private struct DeleteSync: Reconciler {
        let storage: LocalPathStorage

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let volume = storage.volumes.get(key) else { return .done }
            try await storage.deleteIfReleased(volume, logger: logger)
            return .done
        }
    }
}
