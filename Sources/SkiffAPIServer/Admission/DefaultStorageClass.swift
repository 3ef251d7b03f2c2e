import SkiffAPI
import SkiffComponentHelpers
import SkiffModels
import SkiffRegistry

/// Upstream's `DefaultStorageClass` admission plugin: a new PersistentVolumeClaim without
/// `spec.storageClassName` (absent, not `""`, which asks for no class) gets the default
/// StorageClass, the one annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the
/// beta annotation); among several defaults the newest wins, then the first by name, as upstream
/// since v1.28. Without a default the claim is left alone.
struct DefaultStorageClass: MutatingAdmissionPlugin {
    let storageClasses: ResourceStore

    var name: String { "DefaultStorageClass" }

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.resource.group.isEmpty, attributes.resource.resource == "persistentvolumeclaims", attributes.subresource.isEmpty,
              var claim = attributes.object, claim[path: "spec", "storageClassName"] == nil || claim[path: "spec", "storageClassName"] == .null
        else { return }
        guard let name = try await defaultClassName() else { return }
        claim[path: "spec", "storageClassName"] = .string(name)
        attributes.object = claim
    }

    /// The default class's name (the binder's rule, `Sequence.defaultClass`), nil when no class
    /// is marked default.
    private func defaultClassName() async throws -> String? {
        try await storageClasses.admissionList(namespace: nil).map(StorageV1.StorageClass.init(jsonTree:)).defaultClass?.name
    }
}
