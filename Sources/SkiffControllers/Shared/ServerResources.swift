import SkiffAPI
import SkiffClient

/// A resource the server serves, in its group's preferred version.
struct ServedResource: Sendable, Hashable {
    var resource: GroupVersionResource
    var kind: String
    var namespaced: Bool
    var verbs: Set<String>

    /// Whether every one of `verbs` is supported.
    func supports(_ verbs: Set<String>) -> Bool { verbs.isSubset(of: self.verbs) }
}

/// What discovery found: the resources, and the group versions it could not read.
struct ServedResources: Sendable {
    var resources: [ServedResource] = []
    var failures: [GroupVersion: any Error & Sendable] = [:]
}

extension DiscoveryClient {
    /// Every resource (no subresources) in the preferred version of each group, as upstream's
    /// `ServerPreferredResources`; a group version that cannot be read is reported in `failures`.
    func preferredResources() async throws -> ServedResources {
        var served = ServedResources()
        for group in try await serverGroups() {
            let groupVersion = GroupVersion(group: group.name, version: group.preferredVersion)
            do {
                for resource in try await serverResources(for: groupVersion) where !resource.isSubresource {
                    served.resources.append(
                        ServedResource(
                            resource: GroupVersionResource(group: group.name, version: group.preferredVersion, resource: resource.name),
                            kind: resource.kind, namespaced: resource.namespaced, verbs: Set(resource.verbs)))
                }
            } catch {
                served.failures[groupVersion] = error
            }
        }
        return served
    }
}
