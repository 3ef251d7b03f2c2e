import SkiffAPI
import SkiffModels
import Synchronization

/// When each container of a pod being stopped may be sent its stop, as upstream's kubelet orders
/// a pod's termination (KEP-753): a sidecar (restartable init container) waits until every
/// regular container has exited and, sidecars going in the reverse order of their declaration,
/// until the sidecar declared after it has exited; other containers do not wait. A container
/// that was not running counts as exited from the start. Waits end early when `expire()` is
/// called (the grace period is over).
final class TerminationOrdering: Sendable {
    private struct State {
        /// The containers still to exit.
        var running: Set<String>
        var expired = false
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
    }

    private struct Waiter {
        var prerequisites: Set<String>
        var continuation: CheckedContinuation<Void, Never>
    }

    /// Per container name, the containers that must exit before it is stopped.
    let prerequisites: [String: Set<String>]
    private let state: Mutex<State>

    /// The ordering of `pod`'s containers, of which those named in `running` run now.
    init(_ pod: CoreV1.Pod, running: Set<String>) {
        let regular = Set((pod.spec?.containers ?? []).map(\.name))
        var prerequisites: [String: Set<String>] = [:]
        var later: String?
        for spec in (pod.spec?.initContainers ?? []).reversed() where PodLifecycle.isSidecar(spec) {
            prerequisites[spec.name] = regular.union(later.map { [$0] } ?? [])
            later = spec.name
        }
        self.prerequisites = prerequisites
        state = Mutex(State(running: running))
    }

    /// Returns once the containers `name` waits for have exited, or the ordering expired.
    func waitForTurn(_ name: String) async {
        let prerequisites = self.prerequisites[name] ?? []
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                guard !state.expired, !prerequisites.isDisjoint(with: state.running) else { return true }
                state.waiters[state.nextWaiter] = Waiter(prerequisites: prerequisites, continuation: continuation)
                state.nextWaiter += 1
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Records that the container `name` has exited, letting those that waited only for it go.
    func terminated(_ name: String) {
        let released = state.withLock { state in
            state.running.remove(name)
            let ready = state.waiters.filter { $0.value.prerequisites.isDisjoint(with: state.running) }
            for key in ready.keys { state.waiters[key] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in released { continuation.resume() }
    }

    /// Ends every wait, now and later (the grace period is over).
    func expire() {
        let released = state.withLock { state in
            state.expired = true
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in released { continuation.resume() }
    }
}
