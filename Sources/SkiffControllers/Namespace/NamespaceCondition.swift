import SkiffAPI
import SkiffModels

/// A condition of a namespace's status, as the namespace controller reports deletion progress
/// (upstream's `NamespaceDeletion*` / `Namespace*Remaining` conditions).
struct NamespaceCondition: Sendable, Hashable {
    var type: String
    var isTrue: Bool
    var reason: String
    var message: String

    static func discovery(failures: [String]) -> NamespaceCondition {
        failures.isEmpty
            ? .init(type: "NamespaceDeletionDiscoveryFailure", isTrue: false, reason: "ResourcesDiscovered",
                    message: "All resources successfully discovered")
            : .init(type: "NamespaceDeletionDiscoveryFailure", isTrue: true, reason: "DiscoveryFailed",
                    message: "Discovery failed for some groups, \(failures.count) failing: \(failures.sorted().joined(separator: ", "))")
    }

    static let parsedGroupVersions = NamespaceCondition(
        type: "NamespaceDeletionGroupVersionParsingFailure", isTrue: false, reason: "ParsedGroupVersions",
        message: "All legacy kube types successfully parsed")

    static func contentDeletion(failures: [String]) -> NamespaceCondition {
        failures.isEmpty
            ? .init(type: "NamespaceDeletionContentFailure", isTrue: false, reason: "ContentDeleted",
                    message: "All content successfully deleted, may be waiting on finalization")
            : .init(type: "NamespaceDeletionContentFailure", isTrue: true, reason: "ContentDeletionFailed",
                    message: "Failed to delete all resource types, \(failures.count) remaining: \(failures.sorted().joined(separator: ", "))")
    }

    /// `remaining`: resource (`configmaps.`, `deployments.apps`) → objects left.
    static func contentRemaining(_ remaining: [String: Int]) -> NamespaceCondition {
        remaining.isEmpty
            ? .init(type: "NamespaceContentRemaining", isTrue: false, reason: "ContentRemoved", message: "All content successfully removed")
            : .init(type: "NamespaceContentRemaining", isTrue: true, reason: "SomeResourcesRemain",
                    message: "Some resources are remaining: " + summary(remaining) { "has \($0) resource instances" })
    }

    /// `finalizers`: finalizer → objects holding it.
    static func finalizersRemaining(_ finalizers: [String: Int]) -> NamespaceCondition {
        finalizers.isEmpty
            ? .init(type: "NamespaceFinalizersRemaining", isTrue: false, reason: "ContentHasNoFinalizers",
                    message: "All content-preserving finalizers finished")
            : .init(type: "NamespaceFinalizersRemaining", isTrue: true, reason: "SomeFinalizersRemain",
                    message: "Some content in the namespace has finalizers remaining: " + summary(finalizers) { "in \($0) resource instances" })
    }

    /// `name has 2 resource instances, other has 1 resource instances`, sorted by name.
    private static func summary(_ counts: [String: Int], _ describe: (Int) -> String) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key) \(describe($0.value))" }.joined(separator: ", ")
    }

    /// The condition as a status entry; the transition time stays that of `previous` when the
    /// status did not change.
    func model(previous: CoreV1.NamespaceCondition?, now: Timestamp) -> CoreV1.NamespaceCondition {
        let status = isTrue ? "True" : "False"
        let transition = previous?.status == status ? previous?.lastTransitionTime : nil
        return CoreV1.NamespaceCondition(lastTransitionTime: transition ?? now, message: message, reason: reason, status: status, type: type)
    }
}
