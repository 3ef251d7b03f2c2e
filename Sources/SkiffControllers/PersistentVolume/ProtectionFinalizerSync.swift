import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// The storage protection controllers' sync: an object not being deleted gets the finalizer;
/// an object being deleted loses it once `isInUse` says nothing needs it any more.
struct ProtectionFinalizerSync<Object: KubernetesObject>: Reconciler {
    let finalizer: String
    let objects: TypedLister<Object>
    let client: ResourceClient<Object>
    let isInUse: @Sendable (Object) -> Bool

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let object = objects.get(key: key), var metadata = object.metadata else { return .done }
        let finalizers = metadata.finalizers ?? []
        if metadata.deletionTimestamp == nil {
            guard !finalizers.contains(finalizer) else { return .done }
            metadata.finalizers = finalizers + [finalizer]
        } else {
            guard finalizers.contains(finalizer), !isInUse(object) else { return .done }
            metadata.finalizers = finalizers.filter { $0 != finalizer }
            logger.debug("no longer in use, removing the finalizer", metadata: ["finalizer": "\(finalizer)"])
        }
        var updated = object
        updated.metadata = metadata
        do {
            _ = try await client.namespace(metadata.namespace ?? "").update(updated)
        } catch let error as APIError where error.isNotFound {
            return .done
        }
        return .done
    }
}
