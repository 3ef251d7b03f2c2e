import SkiffAPI
import SkiffClient

/// `owner` already has a different controller than the one being set.
public struct AlreadyOwnedError: Error, CustomStringConvertible {
    public var object: String
    public var owner: OwnerReference

    public var description: String {
        "object \(object) is already owned by another \(owner.kind) controller \(owner.name)"
    }
}

extension KubernetesObject {
    /// Makes `owner` this object's controller (controller-runtime's `SetControllerReference`):
    /// the garbage collector deletes the object with its owner, and `ControllerBuilder.owns`
    /// routes its changes to the owner. Throws `AlreadyOwnedError` when another object controls it.
    public mutating func setControllerReference<Owner: KubernetesObject>(_ owner: Owner) throws {
        let reference = OwnerReference.controller(of: owner)
        var meta = metadata ?? ObjectMeta()
        var references = meta.ownerReferences ?? []
        if let existing = references.first(where: { $0.controller == true }), existing.uid != reference.uid {
            throw AlreadyOwnedError(object: cacheKey, owner: existing)
        }
        references.removeAll { $0.uid == reference.uid }
        references.append(reference)
        meta.ownerReferences = references
        metadata = meta
    }
}
