import SkiffAPI
import SkiffModels
import SkiffTesting
import Synchronization
import Testing

@testable import SkiffKubelet

/// The simulated runtime with probes and hooks on: execs answer with the exit code the test sets
/// (each logged as `exec <container> <command>`, stops as `stop <container>`, in `actions`);
/// with a `cgroupRoot`, the kubelet makes its pods' cgroups there. Stops of running containers
/// are logged by container name; a stop can be held until another container's stop was asked.
/// It reports the sandboxes the test sets as a previous run's, and keeps the configs adopted.
final class ProbedRuntime: ContainerRuntime {
    /// A stop of a running container: its name and the time it was given before SIGKILL.
    struct Stop: Equatable {
        var name: String
        var timeout: Duration
    }

    let inner: SimulatedRuntime
    let probeExitCode = Mutex<Int32>(0)
    /// The stops of running containers, in the order they were asked for.
    let stops = Mutex<[Stop]>([])
    /// Execs and stops of running containers, in order.
    let actions = Mutex<[String]>([])
    /// Per container name, the container whose stop must be asked for before its own stop returns.
    let heldStops = Mutex<[String: String]>([:])
    private let names = Mutex<[String: String]>([:])
    /// What `existingSandboxes()` reports.
    let existing = Mutex<[ExistingSandbox]>([])
    /// The configs `adoptSandbox` was given, by sandbox ID.
    let adopted = Mutex<[String: PodSandboxConfig]>([:])
    let cgroupRoot: String?
    var version: String { inner.version }
    var runsProcesses: Bool { true }

    init(clock: any TimestampClock, cgroupRoot: String? = nil) {
        inner = SimulatedRuntime(clock: clock)
        self.cgroupRoot = cgroupRoot
    }

    func runPodSandbox(_ config: PodSandboxConfig) async throws -> String { try await inner.runPodSandbox(config) }
    func stopPodSandbox(_ sandboxID: String) async throws { try await inner.stopPodSandbox(sandboxID) }
    func removePodSandbox(_ sandboxID: String) async throws { try await inner.removePodSandbox(sandboxID) }
    func createContainer(in sandboxID: String, _ config: ContainerConfig) async throws -> String {
        let id = try await inner.createContainer(in: sandboxID, config)
        names.withLock { $0[id] = config.name }
        return id
    }
    func startContainer(_ containerID: String) async throws { try await inner.startContainer(containerID) }
    func stopContainer(_ containerID: String, timeout: Duration) async throws {
        if try await inner.containerStatus(containerID).state == .running, let name = names.withLock({ $0[containerID] }) {
            stops.withLock { $0.append(Stop(name: name, timeout: timeout)) }
            actions.withLock { $0.append("stop \(name)") }
            if let awaited = heldStops.withLock({ $0[name] }) {
                while !stops.withLock({ $0.contains { $0.name == awaited } }) { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
        try await inner.stopContainer(containerID, timeout: timeout)
    }
    func removeContainer(_ containerID: String) async throws { try await inner.removeContainer(containerID) }
    func containerStatus(_ containerID: String) async throws -> RuntimeContainerStatus { try await inner.containerStatus(containerID) }
    func containerLogs(_ containerID: String, follow: Bool) async throws -> AsyncThrowingStream<String, any Error> {
        try await inner.containerLogs(containerID, follow: follow)
    }
    func exec(_ containerID: String, command: [String]) async throws -> ExecResult {
        let name = names.withLock { $0[containerID] } ?? containerID
        actions.withLock { $0.append("exec \(name) \(command.joined(separator: " "))") }
        return ExecResult(exitCode: probeExitCode.withLock { $0 }, stdout: "probed")
    }
    func execStreaming(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 { try await inner.execStreaming(containerID, streams) }
    func attach(_ containerID: String, _ streams: ExecStreams) async throws -> Int32 { try await inner.attach(containerID, streams) }
    func existingSandboxes() async -> [ExistingSandbox] { existing.withLock { $0 } }
    func adoptSandbox(_ sandboxID: String, config: PodSandboxConfig) async { adopted.withLock { $0[sandboxID] = config } }
}

/// Probes driving readiness and restarts, with time moved by hand.
struct ProbeLifecycleTests {
    let time = ManualClock()
    let runtime: ProbedRuntime
    let lifecycle: PodLifecycle

    init() throws {
        runtime = ProbedRuntime(clock: time)
        lifecycle = try .onTestNode(runtime)
    }

    func pod(_ container: JSONValue) -> CoreV1.Pod {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default", "uid": "u-1"],
            "spec": ["nodeName": "skiff-node-0", "containers": [container], "terminationGracePeriodSeconds": 0],
            "status": ["phase": "Pending"],
        ]
        return pod.typed()
    }

    @Test func readinessFollowsTheProbeAfterItsInitialDelay() async throws {
        let probe: JSONValue = ["exec": ["command": ["check"]], "initialDelaySeconds": 3, "periodSeconds": 1, "failureThreshold": 1]
        let pod = pod(["name": "web", "image": "nginx", "readinessProbe": probe])
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        var outcome = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(outcome.status.containerStatuses?.first?.ready == false)
        #expect(outcome.wakeAt == time.now.adding(seconds: 3))
        time.advance(by: .seconds(3))
        outcome = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(outcome.status.containerStatuses?.first?.ready == true)
        #expect(outcome.wakeAt == time.now.adding(seconds: 1))
        runtime.probeExitCode.withLock { $0 = 1 }
        time.advance(by: .seconds(1))
        outcome = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(outcome.status.containerStatuses?.first?.ready == false)
        #expect(outcome.status.containerStatuses?.first?.restartCount == 0)
    }

    @Test func aFailingLivenessProbeRestartsTheContainer() async throws {
        let probe: JSONValue = ["exec": ["command": ["check"]], "periodSeconds": 1, "failureThreshold": 2]
        let pod = pod(["name": "web", "image": "nginx", "livenessProbe": probe])
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        runtime.probeExitCode.withLock { $0 = 1 }
        var outcome = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(outcome.status.containerStatuses?.first?.restartCount == 0)
        time.advance(by: .seconds(1))
        outcome = try await lifecycle.sync(pod, record: &record, now: time.now)
        let status = try #require(outcome.status.containerStatuses?.first)
        #expect(status.restartCount == 1)
        #expect(status.state?.running != nil)
        #expect(status.lastState?.terminated?.exitCode == 143)
    }
}
