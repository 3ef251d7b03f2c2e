import SkiffAPI
import SkiffClient

extension ResourceClient where Object: KubernetesObject {
    /// Adds `finalizer` to `object` on the server, unless it has it already; returns the object as
    /// stored. A stale `object` is a `409 Conflict` (the reconcile is retried with fresh state).
    @discardableResult
    public func ensureFinalizer(_ finalizer: String, on object: Object) async throws -> Object {
        var updated = object
        guard updated.addFinalizer(finalizer) else { return object }
        return try await namespaced(like: object).update(updated)
    }

    /// Removes `finalizer` from `object` on the server, if it has it; returns the object as stored
    /// (the server deletes an object being deleted once its last finalizer is gone).
    @discardableResult
    public func releaseFinalizer(_ finalizer: String, from object: Object) async throws -> Object {
        var updated = object
        guard updated.removeFinalizer(finalizer) else { return object }
        return try await namespaced(like: object).update(updated)
    }

    /// This client in `object`'s namespace (a client of all namespaces cannot write).
    private func namespaced(like object: Object) -> ResourceClient {
        Object.isNamespaced && namespace == nil ? self.namespace(object.namespace) : self
    }
}
