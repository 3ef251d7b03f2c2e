import SkiffAPI
import Synchronization

/// The stored policies with their expressions compiled, kept by name and compiled again only when
/// a policy's resource version changes (upstream compiles in its policy source, not per request).
final class CompiledPolicies: Sendable {
    private let byName = Mutex<[String: AdmissionPolicy]>([:])

    /// The policies of `objects` (the cache's), forgetting those no longer there.
    func policies(_ objects: [JSONValue]) -> [AdmissionPolicy] {
        byName.withLock { byName in
            var current: [String: AdmissionPolicy] = [:]
            let policies = objects.map { object in
                let name = object.name ?? ""
                let policy = byName[name].flatMap { $0.resourceVersion == object.resourceVersion ? $0 : nil } ?? AdmissionPolicy(object)
                current[name] = policy
                return policy
            }
            byName = current
            return policies
        }
    }
}
