import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// How a pod's containers are stopped (upstream's kubelet with KEP-753 sidecars): the regular
/// containers first, then the sidecars last-declared first, within the grace period; on the
/// simulated runtime with its stops logged.
struct TerminationOrderTests {
    let time = ManualClock()
    let runtime: ProbedRuntime
    let lifecycle: PodLifecycle

    init() throws {
        runtime = ProbedRuntime(clock: time)
        lifecycle = try .onTestNode(runtime)
    }

    /// A pod with the sidecars `proxy` and `shipper` (declared in that order) and the container `web`.
    func pod(restartPolicy: String = "Always", gracePeriod: Int, webRunSeconds: Int? = nil) -> CoreV1.Pod {
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default", "uid": "u-1"],
            "spec": [
                "nodeName": "skiff-node-0", "restartPolicy": .string(restartPolicy), "terminationGracePeriodSeconds": .int(Int64(gracePeriod)),
                "initContainers": [
                    ["name": "proxy", "image": "busybox", "restartPolicy": "Always"],
                    ["name": "shipper", "image": "busybox", "restartPolicy": "Always"],
                ],
                "containers": [["name": "web", "image": "nginx"]],
            ],
            "status": ["phase": "Pending"],
        ]
        if let webRunSeconds { pod[path: "metadata", "annotations"] = [SimulationAnnotations.runSeconds: .string(String(webRunSeconds))] }
        return pod.typed()
    }

    @Test func aDeletedPodStopsItsContainersThenItsSidecarsLastDeclaredFirst() async throws {
        let pod = pod(gracePeriod: 30)
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        var running = pod
        running.status = try await lifecycle.sync(pod, record: &record, now: time.now).status
        #expect(running.status?.phase == "Running")

        let final = try await lifecycle.terminate(running, record: &record, gracePeriod: .seconds(30), now: time.now)
        // The regular container first, then the sidecars last declared first; each gets what is
        // left of the grace period when its turn comes (the whole of it on an idle machine).
        let stops = runtime.stops.withLock { $0 }
        #expect(stops.map(\.name) == ["web", "shipper", "proxy"])
        #expect(stops.allSatisfy { $0.timeout <= .seconds(30) && $0.timeout >= PodLifecycle.minimumGracePeriod })
        // The exit codes are the runtime's (the simulated runtime's SIGTERM: 143).
        let ends = ((final.initContainerStatuses ?? []) + (final.containerStatuses ?? [])).map { [$0.name: $0.state?.terminated?.exitCode] }
        #expect(ends == [["proxy": 143], ["shipper": 143], ["web": 143]])
    }

    @Test func aFinishedJobPodStopsItsSidecarsInTurnWithItsGracePeriod() async throws {
        let pod = pod(restartPolicy: "Never", gracePeriod: 5, webRunSeconds: 2)
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        time.advance(by: .seconds(2))
        let finished = try await lifecycle.sync(pod, record: &record, now: time.now).status
        #expect(finished.phase == "Succeeded")
        // `web` exited by itself; the sidecars got SIGTERM in reverse order, each with what was left
        // of the pod's grace period (all of it on an idle machine).
        let stops = runtime.stops.withLock { $0 }
        #expect(stops.map(\.name) == ["shipper", "proxy"])
        #expect(stops.allSatisfy { $0.timeout <= .seconds(5) && $0.timeout >= PodLifecycle.minimumGracePeriod })
        let sidecars = try #require(finished.initContainerStatuses)
        #expect(sidecars.map(\.name) == ["proxy", "shipper"])
        #expect(sidecars.allSatisfy { $0.state?.terminated?.exitCode == 143 && $0.state?.terminated?.reason == "Error" && $0.ready == false })
        #expect(finished.containerStatuses?.first?.state?.terminated?.reason == "Completed")
    }

    @Test(.timeLimit(.minutes(1))) func aSidecarIsStoppedWhenTheGracePeriodEndsEvenIfTheNextOneHasNotExited() async throws {
        let pod = pod(restartPolicy: "Never", gracePeriod: 1, webRunSeconds: 2)
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        // `shipper` does not exit until `proxy` is told to stop: only the end of the grace period lets `proxy` go.
        runtime.heldStops.withLock { $0["shipper"] = "proxy" }
        time.advance(by: .seconds(2))
        let finished = try await lifecycle.sync(pod, record: &record, now: time.now).status
        #expect(finished.phase == "Succeeded")
        // Both get upstream's minimum of 2 s: `proxy` after its wait used the grace period up.
        #expect(runtime.stops.withLock { $0 } == [.init(name: "shipper", timeout: .seconds(2)), .init(name: "proxy", timeout: .seconds(2))])
    }

    @Test func withoutAGracePeriodNothingWaitsAndEveryContainerGetsTheMinimum() async throws {
        let pod = pod(gracePeriod: 0)
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        var running = pod
        running.status = try await lifecycle.sync(pod, record: &record, now: time.now).status
        // `web` does not exit until `proxy` is told to stop: with no grace period to wait in, `proxy` does not wait for it.
        runtime.heldStops.withLock { $0["web"] = "proxy" }
        _ = try await lifecycle.terminate(running, record: &record, gracePeriod: .zero, now: time.now)
        let stops = runtime.stops.withLock { $0 }
        #expect(Set(stops.map(\.name)) == ["web", "shipper", "proxy"])
        #expect(stops.allSatisfy { $0.timeout == PodLifecycle.minimumGracePeriod })
    }
}
