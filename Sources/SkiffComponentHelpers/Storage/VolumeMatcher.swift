import SkiffAPI
import SkiffModels

/// Finds the volume a claim should bind to (upstream's `findBestMatchForClaim` and
/// `FindMatchingVolume`), for the binder (no node) and the scheduler (a candidate node).
///
/// A volume already bound to the claim (`claimRef` naming it) wins, unless its node affinity
/// excludes the node. Otherwise, among `Available` volumes without a `claimRef`, with the claim's
/// class, volume mode, selector labels, every access mode it asks for and at least the storage
/// it requests, not being deleted, and (given a node) reachable from it: those offering the
/// fewest access modes, and among those the smallest. Without a node, a claim whose class
/// delays binding (`WaitForFirstConsumer`) binds only to a volume already bound to it: the
/// scheduler chooses the others.
public struct VolumeMatcher: Sendable {
    /// The node a pod using the claim would run on (the scheduler's question); nil for the binder.
    public struct Node: Sendable {
        public var name: String
        public var labels: [String: String]

        public init(name: String, labels: [String: String]) {
            self.name = name
            self.labels = labels
        }
    }

    public var delayBinding: Bool
    public var node: Node?

    public init(delayBinding: Bool, node: Node? = nil) {
        self.delayBinding = delayBinding
        self.node = node
    }

    /// The best volume among `volumes` for `claim`, nil when none fits.
    public func bestMatch(for claim: CoreV1.PersistentVolumeClaim, among volumes: [CoreV1.PersistentVolume]) -> CoreV1.PersistentVolume? {
        let selector: LabelSelector?
        do {
            selector = try claim.spec?.selector.map { try LabelSelector($0) }
        } catch {
            return nil
        }
        let requested = claim.requestedStorage
        let requestedClass = claim.storageClass
        var best: (modes: Int, capacity: ResourceQuantity, volume: CoreV1.PersistentVolume)?
        for volume in volumes {
            if volume.hasVolumeModeMismatch(with: claim) || volume.metadata?.deletionTimestamp != nil { continue }
            let reachable = node.map { volume.isAccessible(fromNodeLabels: $0.labels, name: $0.name) } ?? true
            if volume.isBound(to: claim) { return reachable ? volume : nil }
            if node == nil && delayBinding { continue }
            guard volume.status?.phase == "Available", volume.spec?.claimRef == nil, reachable,
                  selector?.matches(volume.metadata?.labels ?? [:]) ?? true, volume.storageClass == requestedClass,
                  volume.offersAccessModes(of: claim)
            else { continue }
            let capacity = volume.capacity
            guard capacity >= requested else { continue }
            let modes = volume.spec?.accessModes?.count ?? 0
            if let current = best, (current.modes, current.capacity) <= (modes, capacity) { continue }
            best = (modes, capacity, volume)
        }
        return best?.volume
    }
}
