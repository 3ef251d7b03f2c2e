import SkiffAPI
import SkiffComponentHelpers
import SkiffModels
import Synchronization

/// One node's eviction manager (upstream's `eviction.managerImpl`, hard thresholds only): from
/// the signals read every `monitoringInterval` it keeps the node's pressure conditions (each
/// stays for `pressureTransitionPeriod` after its threshold was last met), turns away pods the
/// pressure forbids, and holds the evictions ordered until the pod workers carry them out.
final class EvictionManager: Sendable {
    private struct State {
        var lastMet: [NodePressure: Timestamp] = [:]
        var conditions: Set<NodePressure> = []
        /// Evictions ordered and not carried out yet: the message, by pod UID.
        var orders: [String: String] = [:]
    }

    let configuration: EvictionConfiguration
    /// The filesystem the `nodefs`/`imagefs` signals read.
    let dataDirectory: String
    private let state = Mutex(State())

    init(configuration: EvictionConfiguration, dataDirectory: String) {
        self.configuration = configuration
        self.dataDirectory = dataDirectory
    }

    /// The pressure conditions the node reports now.
    var conditions: Set<NodePressure> { state.withLock { $0.conditions } }

    /// Takes the signals read at `now`: updates the conditions and returns the thresholds met
    /// now with what was observed, memory first (upstream's eviction priority), then in
    /// `Signal.allCases` order.
    func synchronize(_ observations: [EvictionThreshold.Signal: SignalObservation], now: Timestamp) -> [(EvictionThreshold, SignalObservation)] {
        let met = configuration.hard.compactMap { threshold -> (EvictionThreshold, SignalObservation)? in
            guard let observed = observations[threshold.signal], observed.available < threshold.minimum(capacity: observed.capacity) else { return nil }
            return (threshold, observed)
        }
        .sorted { EvictionThreshold.Signal.allCases.firstIndex(of: $0.0.signal)! < EvictionThreshold.Signal.allCases.firstIndex(of: $1.0.signal)! }
        state.withLock { state in
            for (threshold, _) in met { state.lastMet[threshold.signal.condition] = now }
            state.conditions = Set(state.lastMet.filter { now.duration(since: $0.value) < configuration.pressureTransitionPeriod }.keys)
        }
        return met
    }

    /// Whether the pressure lets a new pod in (upstream's eviction admit handler): critical pods
    /// always; under memory pressure alone, pods that are not BestEffort or tolerate the
    /// memory-pressure taint; under any other pressure, none. A refusal is `Evicted`, "The node
    /// had condition: [MemoryPressure]. ".
    func admit(_ pod: CoreV1.Pod) -> PodRejection? {
        let conditions = self.conditions
        guard !conditions.isEmpty, !Self.isCritical(pod) else { return nil }
        if conditions == [.memory] {
            if pod.status?.qosClass != "BestEffort" { return nil }
            let taint = CoreV1.Taint(effect: CoreV1.Taint.Effect.noSchedule, key: CoreV1.Taint.Key.memoryPressure)
            if (pod.spec?.tolerations ?? []).tolerate(taint) { return nil }
        }
        let names = conditions.sorted().map(\.rawValue).joined(separator: " ")
        return PodRejection(reason: Self.reason, message: "The node had condition: [\(names)]. ")
    }

    /// Orders the pod `uid` evicted with `message`.
    func order(uid: String, message: String) { state.withLock { $0.orders[uid] = message } }

    /// The message of the eviction ordered for `uid`, if any.
    func order(for uid: String) -> String? { state.withLock { $0.orders[uid] } }

    /// Whether an eviction is ordered and not carried out yet.
    var hasOrders: Bool { state.withLock { !$0.orders.isEmpty } }

    /// Drops the order for `uid` (carried out, or the pod went another way).
    func forget(uid: String) { state.withLock { _ = $0.orders.removeValue(forKey: uid) } }

    /// The `status.reason` and event reason of evictions and of refusals under pressure.
    static let reason = "Evicted"

    /// Whether the kubelet never evicts the pod (upstream's `IsCriticalPod`: static and mirror
    /// pods, and pods of system-critical priority).
    static func isCritical(_ pod: CoreV1.Pod) -> Bool {
        if pod.metadata?.annotations?["kubernetes.io/config.mirror"] != nil { return true }
        return (pod.spec?.priority ?? 0) >= 2_000_000_000
    }
}
