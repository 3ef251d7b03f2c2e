import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

extension PodLifecycle {
    /// A lifecycle on `runtime` as a node's at 172.16.0.1 with the pod subnet 10.128.0.0/24.
    static func onTestNode(_ runtime: any ContainerRuntime) throws -> PodLifecycle {
        PodLifecycle(runtime: runtime, hostIP: "172.16.0.1", ips: PodIPAllocator(subnet: try #require(IPv4Subnet("10.128.0.0/24"))))
    }
}

/// The pod status state machine over the simulated runtime, with time moved by hand.
struct PodLifecycleTests {
    let time = ManualClock()
    let runtime: SimulatedRuntime
    let lifecycle: PodLifecycle

    init() throws {
        runtime = SimulatedRuntime(clock: time)
        lifecycle = try .onTestNode(runtime)
    }

    static func pod(
        restartPolicy: String = "Always", annotations: [String: String] = [:], initContainers: [JSONValue] = [],
        containers: [JSONValue] = [["name": "web", "image": "nginx"]]
    ) -> CoreV1.Pod {
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "p", "namespace": "default", "uid": "u-1", "annotations": .object(annotations.mapValues(JSONValue.string))],
            "spec": ["nodeName": "skiff-node-0", "restartPolicy": .string(restartPolicy), "containers": .array(containers)],
            "status": ["phase": "Pending", "qosClass": "BestEffort"],
        ]
        if !initContainers.isEmpty { pod[path: "spec", "initContainers"] = .array(initContainers) }
        return pod.typed()
    }

    static func condition(_ status: JSONValue, _ type: String) -> JSONValue? {
        status["conditions"]?.arrayValue?.first { $0["type"] == .string(type) }
    }

    @Test func aPlainPodIsRunningAndReadyInOneSync() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let outcome = try await lifecycle.sync(Self.pod(), record: &record, now: time.now)
        let status = outcome.status.json
        #expect(outcome.wakeAt == nil)
        #expect(status["phase"] == "Running")
        #expect(status["qosClass"] == "BestEffort")
        #expect(status["podIP"] == "10.128.0.2")
        #expect(status["podIPs"] == [["ip": "10.128.0.2"]])
        #expect(status["hostIP"] == "172.16.0.1")
        #expect(status["startTime"] == .string(time.now.rfc3339))
        #expect(status["conditions"]?.arrayValue?.map { $0["type"] } == ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
        #expect(status["conditions"]?.arrayValue?.allSatisfy { $0["status"] == "True" } == true)
        let container = try #require(status["containerStatuses"]?.arrayValue?.first)
        #expect(container["name"] == "web")
        #expect(container["image"] == "docker.io/library/nginx:latest")
        #expect(container["imageID"]?.stringValue?.hasPrefix("docker.io/library/nginx@sha256:") == true)
        let containerID = container["containerID"]?.stringValue ?? ""
        #expect(containerID.hasPrefix("containerd://") && containerID.count == "containerd://".count + 64)
        #expect(container["ready"] == true && container["started"] == true && container["restartCount"] == 0)
        #expect(container[path: "state", "running", "startedAt"] == .string(time.now.rfc3339))
        #expect(status["initContainerStatuses"] == nil)

        // Nothing changes on the next sync: no write needed.
        time.advance(seconds: 30)
        var pod = Self.pod()
        pod.status = status.typed()
        let again = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(again.status.json == status)
    }

    @Test func initContainersCompleteFirst() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let pod = Self.pod(initContainers: [["name": "setup", "image": "busybox"], ["name": "migrate", "image": "busybox:1.36"]])
        let status = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        #expect(status["phase"] == "Running")
        let inits = status["initContainerStatuses"]?.arrayValue ?? []
        #expect(inits.map { $0["name"] } == ["setup", "migrate"])
        #expect(inits.allSatisfy { $0[path: "state", "terminated", "reason"] == "Completed" && $0[path: "state", "terminated", "exitCode"] == 0 })
        #expect(inits.last?["image"] == "docker.io/library/busybox:1.36")
        #expect(Self.condition(status, "Initialized")?["status"] == "True")
    }

    @Test func aSidecarKeepsRunningBesideTheContainersAndStopsWhenTheyFinish() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let pod = Self.pod(
            restartPolicy: "Never", annotations: [SimulationAnnotations.runSeconds: "2"],
            initContainers: [["name": "shipper", "image": "busybox", "restartPolicy": "Always"], ["name": "setup", "image": "busybox"]])
        let running = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        #expect(running["phase"] == "Running")
        let inits = running["initContainerStatuses"]?.arrayValue ?? []
        #expect(inits.map { $0["name"] } == ["shipper", "setup"])
        // The regular init container after it ran to completion while the sidecar runs on.
        #expect(inits.first?[path: "state", "running"] != nil && inits.first?["started"] == true && inits.first?["ready"] == true)
        #expect(inits.last?[path: "state", "terminated", "reason"] == "Completed")
        #expect(running["containerStatuses"]?.arrayValue?.first?[path: "state", "running"] != nil)
        #expect(Self.condition(running, "Initialized")?["status"] == "True")
        #expect(Self.condition(running, "Ready")?["status"] == "True")

        // The regular container exits 0: the pod succeeds although the sidecar never exits by itself.
        time.advance(seconds: 2)
        let finished = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        #expect(finished["phase"] == "Succeeded")
        let shipper = finished["initContainerStatuses"]?.arrayValue?.first
        #expect(shipper?[path: "state", "terminated", "exitCode"] == 143)
        #expect(shipper?["ready"] == false && shipper?["started"] == false)
        #expect(await runtime.sandboxCount == 0)
    }

    @Test func anUnreadySidecarKeepsThePodUnreadyButInitialized() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let sidecar: JSONValue = ["name": "proxy", "image": "busybox", "restartPolicy": "Always", "readinessProbe": ["initialDelaySeconds": 5, "tcpSocket": ["port": 9000]]]
        let pod = Self.pod(initContainers: [sidecar], containers: [["name": "web", "image": "nginx"], ["name": "api", "image": "nginx"]])
        let first = try await lifecycle.sync(pod, record: &record, now: time.now)
        let status = first.status.json
        // Started is enough for the next containers; readiness counts for the pod's.
        #expect(status["containerStatuses"]?.arrayValue?.allSatisfy { $0[path: "state", "running"] != nil } == true)
        #expect(Self.condition(status, "Initialized")?["status"] == "True")
        #expect(Self.condition(status, "ContainersReady")?["message"] == "containers with unready status: [proxy]")
        #expect(first.wakeAt == time.now.adding(seconds: 5))
        time.advance(seconds: 5)
        let ready = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        #expect(Self.condition(ready, "Ready")?["status"] == "True")
    }

    @Test func aFailedContainerOfANeverPodFailsIt() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let pod = Self.pod(restartPolicy: "Never", annotations: [SimulationAnnotations.runSeconds: "5", SimulationAnnotations.exitCode: "3"])
        let running = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(running.status.phase == "Running")
        #expect(running.wakeAt == time.now.adding(seconds: 5))
        time.advance(seconds: 5)
        let failed = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        #expect(failed["phase"] == "Failed")
        let state = failed["containerStatuses"]?.arrayValue?.first?[path: "state", "terminated"]
        #expect(state?["exitCode"] == 3 && state?["reason"] == "Error")
        #expect(Self.condition(failed, "Ready")?["reason"] == "PodFailed")
        #expect(Self.condition(failed, "PodReadyToStartContainers")?["status"] == "False")
        #expect(await runtime.sandboxCount == 0)
    }

    @Test func aJobPodSucceeds() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let pod = Self.pod(restartPolicy: "OnFailure", annotations: [SimulationAnnotations.runSeconds: "2"])
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        time.advance(seconds: 2)
        let status = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        #expect(status["phase"] == "Succeeded")
        let container = status["containerStatuses"]?.arrayValue?.first
        #expect(container?[path: "state", "terminated", "reason"] == "Completed")
        #expect(container?["ready"] == false && container?["started"] == false)
        #expect(Self.condition(status, "Ready")?["reason"] == "PodCompleted")
        #expect(Self.condition(status, "ContainersReady")?["reason"] == "PodCompleted")
        #expect(Self.condition(status, "Initialized")?["reason"] == "PodCompleted")
        #expect(status["podIP"] == "10.128.0.2")
        #expect(record.terminalStatus?.json == status)
        #expect(lifecycle.ips.allocatedCount == 0)
    }

    @Test func restartsBackOffAsCrashLoop() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let pod = Self.pod(restartPolicy: "Always", annotations: [SimulationAnnotations.runSeconds: "1", SimulationAnnotations.exitCode: "0"])
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        // First exit: restarted at once.
        time.advance(seconds: 1)
        var status = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        var container = status["containerStatuses"]?.arrayValue?.first
        #expect(status["phase"] == "Running")
        #expect(container?["restartCount"] == 1)
        #expect(container?[path: "state", "running"] != nil)
        #expect(container?[path: "lastState", "terminated", "reason"] == "Completed")
        // Second exit: waits 10 s in CrashLoopBackOff.
        time.advance(seconds: 1)
        let backingOff = try await lifecycle.sync(pod, record: &record, now: time.now)
        status = backingOff.status.json
        container = status["containerStatuses"]?.arrayValue?.first
        #expect(status["phase"] == "Running")
        #expect(container?[path: "state", "waiting", "reason"] == "CrashLoopBackOff")
        #expect(container?[path: "state", "waiting", "message"] == "back-off 10s restarting failed container=web pod=p_default(u-1)")
        #expect(container?["restartCount"] == 1)
        #expect(Self.condition(status, "Ready")?["status"] == "False")
        #expect(Self.condition(status, "Ready")?["message"] == "containers with unready status: [web]")
        #expect(backingOff.wakeAt == time.now.adding(seconds: 10))
        time.advance(seconds: 10)
        container = try await lifecycle.sync(pod, record: &record, now: time.now).status.json["containerStatuses"]?.arrayValue?.first
        #expect(container?["restartCount"] == 2)
        #expect(container?[path: "state", "running"] != nil)
        // Third exit: 20 s.
        time.advance(seconds: 1)
        container = try await lifecycle.sync(pod, record: &record, now: time.now).status.json["containerStatuses"]?.arrayValue?.first
        #expect(container?[path: "state", "waiting", "message"]?.stringValue?.hasPrefix("back-off 20s") == true)
    }

    @Test func onFailureRestartsOnlyFailures() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let pod = Self.pod(restartPolicy: "OnFailure", annotations: [SimulationAnnotations.runSeconds: "1", SimulationAnnotations.exitCode: "1"])
        _ = try await lifecycle.sync(pod, record: &record, now: time.now)
        time.advance(seconds: 1)
        let status = try await lifecycle.sync(pod, record: &record, now: time.now).status.json
        #expect(status["phase"] == "Running")
        #expect(status["containerStatuses"]?.arrayValue?.first?["restartCount"] == 1)
        #expect(status["containerStatuses"]?.arrayValue?.first?[path: "lastState", "terminated", "exitCode"] == 1)
    }

    @Test func readinessProbeDelaysReady() async throws {
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let pod = Self.pod(containers: [["name": "web", "image": "nginx", "readinessProbe": ["initialDelaySeconds": 5, "httpGet": ["port": 80]]]])
        let first = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(first.status.phase == "Running")
        #expect(Self.condition(first.status.json, "Ready")?["status"] == "False")
        #expect(Self.condition(first.status.json, "ContainersReady")?["reason"] == "ContainersNotReady")
        #expect(first.wakeAt == time.now.adding(seconds: 5))
        let notReadySince = time.now
        time.advance(seconds: 5)
        var updated = pod
        updated.status = first.status
        let second = try await lifecycle.sync(updated, record: &record, now: time.now).status.json
        #expect(Self.condition(second, "Ready")?["status"] == "True")
        #expect(Self.condition(second, "Ready")?["lastTransitionTime"] == .string(time.now.rfc3339))
        #expect(Self.condition(second, "Initialized")?["lastTransitionTime"] == .string(notReadySince.rfc3339))
    }

    @Test func runtimeStopsAndReportsContainers() async throws {
        let sandbox = try await runtime.runPodSandbox(PodSandboxConfig(podName: "p", podNamespace: "default", podUID: "u", podIP: "10.0.0.2"))
        let id = try await runtime.createContainer(in: sandbox, ContainerConfig(name: "c", image: "ghcr.io/acme/app:v1"))
        #expect(try await runtime.containerStatus(id).state == .created)
        try await runtime.startContainer(id)
        #expect(try await runtime.containerStatus(id).state == .running)
        #expect(try await runtime.containerStatus(id).image == "ghcr.io/acme/app:v1")
        #expect(try await runtime.exec(id, command: ["true"]).exitCode == 0)
        var lines: [String] = []
        for try await line in try await runtime.containerLogs(id, follow: false) { lines.append(line) }
        #expect(lines.count == 1)
        try await runtime.stopContainer(id, timeout: .seconds(30))
        let stopped = try await runtime.containerStatus(id)
        #expect(stopped.state == .exited && stopped.exitCode == 143)
        await #expect(throws: RuntimeError.self) { try await runtime.exec(id, command: ["true"]) }
        try await runtime.stopPodSandbox(sandbox)
        try await runtime.removePodSandbox(sandbox)
        await #expect(throws: RuntimeError.self) { try await runtime.containerStatus(id) }
        #expect(await runtime.sandboxCount == 0)
    }
}
