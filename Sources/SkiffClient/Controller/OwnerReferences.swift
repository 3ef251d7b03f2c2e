import SkiffAPI

extension ObjectMeta {
    /// The owner reference marked `controller: true`, if any.
    public var controllerReference: OwnerReference? {
        ownerReferences?.first { $0.controller == true }
    }

    /// Whether the object's controller is the object with `uid`.
    public func isControlled(by uid: String) -> Bool {
        controllerReference?.uid == uid
    }
}

extension OwnerReference {
    /// A reference that makes `owner` the controller of a dependent, blocking the owner's
    /// foreground deletion until the dependent is gone (client-go's `NewControllerRef`).
    public static func controller<Owner: KubernetesObject>(of owner: Owner) -> OwnerReference {
        OwnerReference(
            apiVersion: Owner.groupVersionKind.groupVersion.apiVersion, kind: Owner.groupVersionKind.kind, name: owner.name,
            uid: owner.metadata?.uid ?? "", controller: true, blockOwnerDeletion: true)
    }
}

extension KubernetesObject {
    /// Whether `owner` is this object's controller (by UID).
    public func isControlled(by owner: some KubernetesObject) -> Bool {
        guard let uid = owner.metadata?.uid, !uid.isEmpty else { return false }
        return metadata?.isControlled(by: uid) ?? false
    }

    /// Whether the object has `finalizer`.
    public func hasFinalizer(_ finalizer: String) -> Bool {
        metadata?.finalizers?.contains(finalizer) ?? false
    }

    /// Adds `finalizer` if missing; returns whether the object changed (and needs an update).
    @discardableResult
    public mutating func addFinalizer(_ finalizer: String) -> Bool {
        guard !hasFinalizer(finalizer) else { return false }
        var meta = metadata ?? ObjectMeta()
        meta.finalizers = (meta.finalizers ?? []) + [finalizer]
        metadata = meta
        return true
    }

    /// Removes `finalizer` if present; returns whether the object changed.
    @discardableResult
    public mutating func removeFinalizer(_ finalizer: String) -> Bool {
        guard hasFinalizer(finalizer) else { return false }
        metadata?.finalizers?.removeAll { $0 == finalizer }
        return true
    }

    /// Whether deletion has started (the object waits for its finalizers).
    public var isBeingDeleted: Bool { metadata?.deletionTimestamp != nil }
}

extension JSONValue {
    /// The owner reference marked `controller: true`, if any.
    public var controllerReference: JSONValue? {
        ownerReferences.first { $0["controller"]?.boolValue == true }
    }

    /// Whether the object's controller has `uid`.
    public func isControlled(by uid: String) -> Bool {
        controllerReference?["uid"]?.stringValue == uid
    }
}
