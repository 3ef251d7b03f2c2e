import Foundation
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels

/// What the walkthrough controller does for one namespace.
struct NamespaceReconciler: Sendable {
    let client: KubernetesClient
    let lister: TypedLister<CoreV1.Namespace>

    /// The finalizer the namespace controller owns (`spec.finalizers`).
    static let finalizer = "kubernetes"

    /// Deals with namespace `name`: true when nothing is left to do, false to retry later.
    func reconcile(_ name: String) async throws -> Bool {
        // Read from the cache: the informer keeps it current, and the server is spared.
        guard let namespace = lister.get(name), namespace.metadata?.deletionTimestamp != nil,
            namespace.spec?.finalizers?.contains(Self.finalizer) == true
        else { return true }
        let remaining = try await deleteContent(of: name)
        guard remaining == 0 else {
            say("Namespace \(name): \(remaining) objects still to go")
            return false
        }
        try await finalize(namespace)
        say("Namespace \(name): content deleted, finalizer removed")
        return true
    }

    /// Deletes every namespaced object in `namespace`; returns how many were still there.
    private func deleteContent(of namespace: String) async throws -> Int {
        var remaining = 0
        for resource in try await deletableResources() {
            let objects = client.dynamic.resource(resource).namespace(namespace)
            let present = try await objects.list(ListOptions(limit: 1))
            guard !present.items.isEmpty else { continue }
            say("Namespace \(namespace): deleting \(resource.groupResource)")
            try await objects.deleteCollection(DeleteOptions(propagationPolicy: .background))
            remaining += try await objects.list().items.count
        }
        return remaining
    }

    /// The namespaced resources (no subresources) of every group's preferred version that can be
    /// listed and deleted as a collection, as discovery reports them.
    private func deletableResources() async throws -> [GroupVersionResource] {
        var resources: [GroupVersionResource] = []
        for group in try await client.discovery.serverGroups() {
            let groupVersion = GroupVersion(group: group.name, version: group.preferredVersion)
            for resource in try await client.discovery.serverResources(for: groupVersion)
            where resource.namespaced && !resource.isSubresource && resource.verbs.contains("deletecollection") && resource.verbs.contains("list") {
                resources.append(GroupVersionResource(group: group.name, version: group.preferredVersion, resource: resource.name))
            }
        }
        return resources
    }

    /// Removes our finalizer through `PUT /api/v1/namespaces/NAME/finalize`.
    private func finalize(_ namespace: CoreV1.Namespace) async throws {
        var finalized = namespace
        finalized.apiVersion = "v1"
        finalized.kind = "Namespace"
        finalized.spec?.finalizers?.removeAll { $0 == Self.finalizer }
        let request = APIRequest(.PUT, CoreV1.Namespace.groupVersionResource).name(namespace.metadata?.name)
            .subresource("finalize").body(Array(try JSONEncoder().encode(finalized)))
        try await client.rest.send(request)
    }
}
