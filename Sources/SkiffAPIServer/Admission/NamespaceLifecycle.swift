import SkiffAPI
import SkiffRegistry

/// Upstream's `NamespaceLifecycle` admission plugin: no writes in a namespace that does not
/// exist (`404` naming the namespace), no creates in one being deleted (`403` with the
/// `NamespaceTerminating` cause), and the namespaces every cluster needs (`default`,
/// `kube-system`, `kube-public`) may not be deleted.
struct NamespaceLifecycle: MutatingAdmissionPlugin {
    /// The namespaces' store: its cache first, storage when the cache has not seen a namespace yet
    /// (it may have just been created; upstream reads storage for creates only, and an update
    /// right after the namespace's create could see a spurious 404).
    let namespaces: ResourceStore

    var name: String { "NamespaceLifecycle" }

    static let immortalNamespaces: Set<String> = ["default", "kube-system", "kube-public"]
    private static let namespaceResource = GroupResource(group: "", resource: "namespaces")

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        let isNamespace = attributes.kind.groupKind == GroupKind(group: "", kind: "Namespace")
        if attributes.namespace.isEmpty || isNamespace {
            if attributes.operation == .delete && isNamespace && Self.immortalNamespaces.contains(attributes.name) {
                throw APIError.forbidden("namespaces \"\(attributes.name)\" is forbidden: this namespace may not be deleted",
                                         resource: Self.namespaceResource, name: attributes.name)
            }
            return
        }
        if attributes.operation == .delete { return }
        guard let phase = await phase(of: attributes.namespace) else { throw APIError.notFound(Self.namespaceResource, name: attributes.namespace) }
        guard attributes.operation == .create, phase == "Terminating" else { return }
        let resource = GroupResource(group: attributes.resource.group, resource: attributes.resource.resource)
        let name = attributes.nameForErrors
        throw APIError(
            code: 403, reason: .forbidden,
            message: "\(resource) \"\(name)\" is forbidden: unable to create new content in namespace \(attributes.namespace) because it is being terminated",
            details: .init(name: name, group: resource.group, kind: resource.resource, causes: [
                .init(type: CauseType(rawValue: "NamespaceTerminating"), message: "namespace \(attributes.namespace) is being terminated",
                      field: "metadata.namespace"),
            ]))
    }

    /// The namespace's `status.phase` (empty when unset), nil when it does not exist: every write
    /// in a namespace asks, so from the field values the watch cache keeps (nothing decoded), or
    /// from storage when the cache has not seen the namespace yet.
    private func phase(of name: String) async -> String? {
        if let cached = namespaces.cache.object(forKey: namespaces.info.key(namespace: nil, name: name)) {
            return cached.fields["status.phase"] ?? ""
        }
        return await namespaces.admissionLookup(namespace: nil, name: name).map { $0[path: "status", "phase"]?.stringValue ?? "" }
    }
}
