import SkiffAPI
import SkiffRegistry

/// Upstream's `DefaultStorageClass` admission plugin: a new PersistentVolumeClaim without
/// `spec.storageClassName` (absent, not `""`, which asks for no class) gets the default
/// StorageClass, the one annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the
/// beta annotation); among several defaults the newest wins, then the first by name, as upstream
/// since v1.28. Without a default the claim is left alone.
struct DefaultStorageClass: MutatingAdmissionPlugin {
    let storageClasses: ResourceStore

    var name: String { "DefaultStorageClass" }

    static let defaultAnnotations = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"]

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.resource.group.isEmpty, attributes.resource.resource == "persistentvolumeclaims", attributes.subresource.isEmpty,
              var claim = attributes.object, claim[path: "spec", "storageClassName"] == nil || claim[path: "spec", "storageClassName"] == .null
        else { return }
        guard let name = try await defaultClassName() else { return }
        claim[path: "spec", "storageClassName"] = .string(name)
        attributes.object = claim
    }

    /// The default class's name, nil when no class is marked default.
    private func defaultClassName() async throws -> String? {
        let defaults = try await storageClasses.admissionList(namespace: nil).filter { storageClass in
            Self.defaultAnnotations.contains { storageClass.annotations[$0] == "true" }
        }
        let newest = defaults.max { lhs, rhs in
            let (left, right) = (lhs[path: "metadata", "creationTimestamp"]?.stringValue ?? "", rhs[path: "metadata", "creationTimestamp"]?.stringValue ?? "")
            // Equal times: the first name wins, so it must compare as the larger.
            return left == right ? (lhs.name ?? "") > (rhs.name ?? "") : left < right
        }
        return newest?.name
    }
}
