import SkiffAPI
import SkiffModels

/// The annotations a Deployment keeps on its ReplicaSets (upstream's
/// `SetNewReplicaSetAnnotations`, `SetReplicasAnnotations`).
enum ReplicaSetAnnotations {
    /// The longest `revision-history` annotation kept, in characters.
    static let revisionHistoryLimit = 2000

    /// Copies the Deployment's annotations (but its own bookkeeping) to the set, raises the
    /// set's revision to `revision` when lower, remembering a replaced revision in
    /// `revision-history` (a rollback to this set), and for a set about to be created adds the
    /// replicas annotations. Returns whether anything changed (the set is left as it was when its
    /// revision is not a number).
    static func setForNewReplicaSet(
        _ replicaSet: inout AppsV1.ReplicaSet, deployment: AppsV1.Deployment, revision: Int64, exists: Bool, maxSurge: Int
    ) -> Bool {
        var annotations = replicaSet.metadata?.annotations ?? [:]
        var changed = false
        for (key, value) in deployment.metadata?.annotations ?? [:] where !DeploymentAnnotation.notCopied.contains(key) && annotations[key] != value {
            annotations[key] = value
            changed = true
        }
        let oldText = annotations[DeploymentAnnotation.revision]
        let oldRevision: Int64
        if let oldText {
            // A revision that is not a number is left alone, and nothing is written (as upstream).
            guard let parsed = Int64(oldText) else { return false }
            oldRevision = parsed
        } else {
            oldRevision = 0
        }
        if oldRevision < revision {
            annotations[DeploymentAnnotation.revision] = String(revision)
            changed = true
            if let oldText {
                annotations[DeploymentAnnotation.revisionHistory] = appendingHistory(annotations[DeploymentAnnotation.revisionHistory], oldText)
            }
        }
        replicaSet.setAnnotations(annotations)
        if !exists && setReplicas(&replicaSet, desired: deployment.specReplicas, max: deployment.specReplicas + maxSurge) {
            changed = true
        }
        return changed
    }

    /// `history` with `revision` appended, dropping the oldest entries to stay within the
    /// limit (nothing appended when even that does not help); `nil` stays absent.
    static func appendingHistory(_ history: String?, _ revision: String) -> String? {
        guard let history, !history.isEmpty else { return revision }
        var entries = history.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var length = history.count + revision.count + 1
        var start = 0
        while length > revisionHistoryLimit && start < entries.count {
            length -= entries[start].count + 1
            start += 1
        }
        guard length <= revisionHistoryLimit else { return history }
        entries = Array(entries[start...]) + [revision]
        return entries.joined(separator: ",")
    }

    /// Whether the set's `desired-replicas`/`max-replicas` differ from these.
    static func replicasNeedUpdate(_ replicaSet: AppsV1.ReplicaSet, desired: Int, max: Int) -> Bool {
        let annotations = replicaSet.metadata?.annotations ?? [:]
        return annotations[DeploymentAnnotation.desiredReplicas] != String(desired) || annotations[DeploymentAnnotation.maxReplicas] != String(max)
    }

    /// Sets `desired-replicas` and `max-replicas`; returns whether they changed.
    @discardableResult
    static func setReplicas(_ replicaSet: inout AppsV1.ReplicaSet, desired: Int, max: Int) -> Bool {
        guard replicasNeedUpdate(replicaSet, desired: desired, max: max) else { return false }
        var annotations = replicaSet.metadata?.annotations ?? [:]
        annotations[DeploymentAnnotation.desiredReplicas] = String(desired)
        annotations[DeploymentAnnotation.maxReplicas] = String(max)
        replicaSet.setAnnotations(annotations)
        return true
    }
}

extension AppsV1.ReplicaSet {
    /// Sets `metadata.annotations` (left out when empty).
    fileprivate mutating func setAnnotations(_ annotations: [String: String]) {
        var meta = metadata ?? ObjectMeta()
        meta.annotations = annotations.isEmpty ? nil : annotations
        metadata = meta
    }
}
