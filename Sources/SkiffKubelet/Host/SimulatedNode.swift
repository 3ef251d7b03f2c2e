import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels
import Synchronization

/// One node a `KubeletHost` simulates: its runtime, and once registered its status builder and
/// pod IPs; whether its heartbeats are on; whether its Node object was deleted.
final class SimulatedNode: Sendable {
    /// What registration established.
    struct Registration: Sendable {
        var builder: NodeStatusBuilder
        var ips: PodIPAllocator
        var uid: String?
    }

    private struct State {
        var registration: Registration?
        var heartbeats = true
        /// Set when heartbeats resume, so the next status is written even if unchanged.
        var forceStatus = false
        var gone = false
        var lease: CoordinationV1.Lease?
        var lastReported: CoreV1.Node?
        var lastReportAt: Timestamp?
    }

    let name: String
    let runtime: any ContainerRuntime
    /// Where the node's pod lifecycle records events (probe failures).
    let events: EventRecorder?
    let dns: PodDNSConfigurer?
    /// Prepares the volumes of the node's pods (nil: its runtime mounts none).
    let volumes: VolumeManager?
    /// Where a node without a volume manager checks that its pods' claims are bound.
    let claims: (any VolumeSourceReader)?
    /// Where the node reads its pods' image pull secrets (nil: its images are pulled anonymously).
    let pullSecrets: (any VolumeSourceReader)?
    /// Makes the cgroups of the node's pods (nil: its runtime's containers get none).
    let cgroups: PodCgroups?
    /// The CPU counters of the node's simulated containers (`/metrics/resource`).
    let usage = SimulatedUsageMeter()
    private let state = Mutex(State())
    /// The pods admitted to run here (`PodSync` admits each new pod against them).
    let admitted: Mutex<AdmittedPods>
    /// Reads the host's signals and evicts under pressure (nil: the node does not evict).
    let eviction: EvictionManager?

    init(
        name: String, runtime: any ContainerRuntime, allocatable: ComputeResources, eviction: EvictionManager? = nil, events: EventRecorder? = nil,
        dns: PodDNSConfigurer? = nil, volumes: VolumeManager? = nil, claims: (any VolumeSourceReader)? = nil,
        pullSecrets: (any VolumeSourceReader)? = nil, cgroups: PodCgroups? = nil
    ) {
        self.name = name
        self.pullSecrets = pullSecrets
        admitted = Mutex(AdmittedPods(allocatable: allocatable))
        self.eviction = eviction
        self.claims = claims
        self.cgroups = cgroups
        self.runtime = runtime
        self.events = events
        self.dns = dns
        self.volumes = volumes
    }

    var registration: Registration? { state.withLock { $0.registration } }

    /// The pod lifecycle on this node, once registered and while its Node exists.
    var lifecycle: PodLifecycle? {
        state.withLock { state in
            guard !state.gone, let registration = state.registration else { return nil }
            var lifecycle = PodLifecycle(
                runtime: runtime, hostIP: registration.builder.internalIP, ips: registration.ips, events: events, dns: dns, volumes: volumes,
                claims: claims, pullSecrets: pullSecrets, cgroups: cgroups)
            lifecycle.memoryCapacity = ResourceQuantity(.string(registration.builder.configuration.memory))?.value ?? 0
            return lifecycle
        }
    }

    /// Registration done at `instant`: `node` is the Node as written then.
    func registered(_ registration: Registration, node: CoreV1.Node, at instant: Timestamp) {
        state.withLock {
            $0.registration = registration
            $0.lastReported = node
            $0.lastReportAt = instant
            $0.gone = false
        }
    }

    var heartbeatsEnabled: Bool { state.withLock { $0.heartbeats && !$0.gone } }

    func setHeartbeats(_ enabled: Bool) {
        state.withLock {
            if enabled && !$0.heartbeats { $0.forceStatus = true }
            $0.heartbeats = enabled
        }
    }

    func markGone() { state.withLock { $0.gone = true } }

    var lease: CoordinationV1.Lease? {
        get { state.withLock { $0.lease } }
        set { state.withLock { $0.lease = newValue } }
    }

    /// The Node as last written, and whether the next status must be written regardless.
    func reportState() -> (node: CoreV1.Node?, at: Timestamp?, force: Bool) {
        state.withLock { ($0.lastReported, $0.lastReportAt, $0.forceStatus) }
    }

    func reported(_ node: CoreV1.Node, at instant: Timestamp) {
        state.withLock {
            $0.lastReported = node
            $0.lastReportAt = instant
            $0.forceStatus = false
        }
    }
}
