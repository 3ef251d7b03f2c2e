import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// Upstream's `VolumeBinding` plugin, for what local volumes need: PreFilter reads the pod's
/// claims (a missing or terminating claim, or an unbound claim whose class binds at once, makes
/// the pod unschedulable everywhere); Filter keeps nodes every bound volume's node affinity
/// admits and, for unbound `WaitForFirstConsumer` claims without a provisioner, that reach an
/// available matching volume; PreBind (`Scheduler.preBindVolumes`) then gives the claims their
/// node. Claims a provisioner serves fit every node (no storage capacity tracking).
struct VolumeBinding: FilterPlugin {
    static let unboundImmediate = "pod has unbound immediate PersistentVolumeClaims"
    static let affinityConflict = "node(s) had volume node affinity conflict"
    static let noMatchingVolume = "node(s) didn't find available persistent volumes to bind"
    static let missingVolume = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
    /// The provisioner of classes whose volumes are all made by hand.
    static let noProvisioner = "kubernetes.io/no-provisioner"

    /// What PreFilter found of the pod's claims.
    struct State: Sendable {
        /// The volumes of the bound claims.
        var boundVolumes: [CoreV1.PersistentVolume] = []
        /// A bound claim's volume does not exist.
        var hasMissingVolume = false
        /// Unbound delayed claims that only an existing volume can satisfy.
        var claimsToMatch: [CoreV1.PersistentVolumeClaim] = []
        /// Every volume, for `claimsToMatch`.
        var volumes: [CoreV1.PersistentVolume] = []
    }

    /// The claims, volumes and classes the plugin reads.
    struct Listers: Sendable {
        let claims: TypedLister<CoreV1.PersistentVolumeClaim>
        let volumes: TypedLister<CoreV1.PersistentVolume>
        let classes: TypedLister<StorageV1.StorageClass>

        /// The class of `claim`, nil when it names none or a missing one.
        func storageClass(of claim: CoreV1.PersistentVolumeClaim) -> StorageV1.StorageClass? {
            claim.storageClass.isEmpty ? nil : classes.get(claim.storageClass)
        }

        /// Whether `claim` waits for its first pod to be scheduled.
        func delaysBinding(_ claim: CoreV1.PersistentVolumeClaim) -> Bool {
            storageClass(of: claim)?.volumeBindingMode == "WaitForFirstConsumer"
        }
    }

    /// What PreFilter decided.
    enum PreFilterOutcome: Sendable {
        /// The pod has no claims: nothing to filter.
        case noClaims
        case ready(State)
        /// No node can take the pod.
        case unschedulable(FilterFailure)
    }

    /// The pod's claims sorted out, or why no node can take it.
    static func preFilter(_ pod: PodInfo, listers: Listers) -> PreFilterOutcome {
        guard !pod.claimNames.isEmpty else { return .noClaims }
        var state = State()
        var hasUnboundImmediate = false
        for name in pod.claimNames {
            guard let claim = listers.claims.namespace(pod.namespace).get(name) else {
                return .unschedulable(.unresolvable("persistentvolumeclaim \"\(name)\" not found"))
            }
            if claim.metadata?.deletionTimestamp != nil { return .unschedulable(.unresolvable("persistentvolumeclaim \"\(name)\" is being deleted")) }
            let volumeName = claim.spec?.volumeName ?? ""
            if !volumeName.isEmpty {
                if let volume = listers.volumes.get(volumeName) { state.boundVolumes.append(volume) } else { state.hasMissingVolume = true }
            } else if !listers.delaysBinding(claim) {
                hasUnboundImmediate = true
            } else if listers.storageClass(of: claim)?.provisioner == noProvisioner {
                state.claimsToMatch.append(claim)
            }
        }
        if hasUnboundImmediate { return .unschedulable(.unresolvable(unboundImmediate)) }
        if !state.claimsToMatch.isEmpty { state.volumes = listers.volumes.list() }
        return .ready(state)
    }

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        guard let volumes = state.volumeBinding else { return nil }
        if volumes.hasMissingVolume { return .unresolvable(Self.missingVolume) }
        let labels = node.node.labels
        if volumes.boundVolumes.contains(where: { !$0.isAccessible(fromNodeLabels: labels, name: node.name) }) {
            return .unresolvable(Self.affinityConflict)
        }
        let matcher = VolumeMatcher(delayBinding: true, node: VolumeMatcher.Node(name: node.name, labels: labels))
        if volumes.claimsToMatch.contains(where: { matcher.bestMatch(for: $0, among: volumes.volumes) == nil }) {
            return .unresolvable(Self.noMatchingVolume)
        }
        return nil
    }
}
