import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// Containers' `postStart` and `preStop` hooks, run as upstream's kubelet runs them.
struct LifecycleHookTests {
    let time = ManualClock()
    let runtime: ProbedRuntime
    let lifecycle: PodLifecycle

    init() throws {
        runtime = ProbedRuntime(clock: time)
        lifecycle = try .onTestNode(runtime)
    }

    func pod(lifecycle hooks: JSONValue, grace: Int = 30) -> CoreV1.Pod {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default", "uid": "u-1"],
            "spec": [
                "nodeName": "skiff-node-0", "terminationGracePeriodSeconds": .int(Int64(grace)),
                "containers": [["name": "web", "image": "nginx", "lifecycle": hooks]],
            ],
            "status": ["phase": "Pending"],
        ]
        return pod.typed()
    }

    @Test func postStartRunsRightAfterTheStartAndBeforeTheStatusSaysRunning() async throws {
        let pod = pod(lifecycle: ["postStart": ["exec": ["command": ["warm", "up"]]]])
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let outcome = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(runtime.actions.withLock { $0 } == ["exec web warm up"])
        #expect(outcome.status.containerStatuses?.first?.state?.running != nil)
        #expect(outcome.status.phase == "Running")
    }

    @Test func aFailedPostStartHookKillsTheContainerWhichRestartsAsItsPolicySays() async throws {
        let pod = pod(lifecycle: ["postStart": ["exec": ["command": ["warm"]]]])
        runtime.probeExitCode.withLock { $0 = 1 }
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let outcome = try await lifecycle.sync(pod, record: &record, now: time.now)
        // Started, hook failed, killed; restarted at once (no back-off yet), failed and killed again.
        #expect(runtime.actions.withLock { $0 } == ["exec web warm", "stop web", "exec web warm", "stop web"])
        let status = try #require(outcome.status.containerStatuses?.first)
        #expect(status.restartCount == 1)
        #expect(status.state?.waiting?.reason == "CrashLoopBackOff")
    }

    @Test func preStopRunsBeforeTheStopWithinTheGracePeriod() async throws {
        let pod = pod(lifecycle: ["preStop": ["exec": ["command": ["drain"]]]])
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        _ = try await lifecycle.terminate(pod, record: &record, gracePeriod: .seconds(30), now: time.now)
        #expect(runtime.actions.withLock { $0 } == ["exec web drain", "stop web"])
        let stop = try #require(runtime.stops.withLock { $0.first })
        // What the hook took, in whole seconds, comes off the grace period.
        #expect(stop.timeout <= .seconds(30) && stop.timeout >= .seconds(20))
    }

    @Test func aPreStopHookThatOutlastsTheGracePeriodIsCutShortAndTheContainerStillGetsTwoSeconds() async throws {
        let pod = pod(lifecycle: ["preStop": ["sleep": ["seconds": 600]]], grace: 1)
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        _ = try await lifecycle.terminate(pod, record: &record, gracePeriod: .seconds(1), now: time.now)
        #expect(runtime.stops.withLock { $0 } == [.init(name: "web", timeout: PodLifecycle.minimumGracePeriod)])
    }

    @Test func noHookRunsWithAZeroGracePeriod() async throws {
        let pod = pod(lifecycle: ["preStop": ["exec": ["command": ["drain"]]]], grace: 0)
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        _ = try await lifecycle.terminate(pod, record: &record, gracePeriod: .zero, now: time.now)
        #expect(runtime.actions.withLock { $0 } == ["stop web"])
    }

    @Test func containerEventsNameTheContainerByItsFieldPath() {
        let pod = pod(lifecycle: [:])
        #expect(PodLifecycle.reference(pod, containerKey: "app/web").fieldPath == "spec.containers{web}")
        #expect(PodLifecycle.reference(pod, containerKey: "init/setup").fieldPath == "spec.initContainers{setup}")
    }
}
