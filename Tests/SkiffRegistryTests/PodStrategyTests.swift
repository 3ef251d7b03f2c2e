import SkiffAPI
@testable import SkiffRegistry
import Testing

@Suite struct PodStrategyTests {
    static let strategy = PodStrategy()

    @Test func createFillsUpstreamDefaults() async throws {
        try await withRegistry { registry in
            let pod = try await registry.store("pods").create(namespace: "test", object: [
                "metadata": ["name": "p"],
                "spec": ["containers": [
                    ["name": "a", "image": "nginx", "ports": [["containerPort": 80]],
                     "resources": ["limits": ["cpu": "500m", "memory": "1Gi"]],
                     "readinessProbe": ["httpGet": ["port": 80]]],
                    ["name": "b", "image": "registry:5000/busybox:1.36"],
                    ["name": "c", "image": "busybox:latest"],
                    ["name": "d", "image": "busybox@sha256:0123"],
                ], "volumes": [["name": "scratch"], ["name": "config", "configMap": ["name": "cm"]]]],
            ])
            let spec = try #require(pod["spec"])
            #expect(spec["restartPolicy"] == "Always")
            #expect(spec["dnsPolicy"] == "ClusterFirst")
            #expect(spec["schedulerName"] == "default-scheduler")
            #expect(spec["terminationGracePeriodSeconds"] == 30)
            #expect(spec["securityContext"] == .emptyObject)
            #expect(spec["enableServiceLinks"] == true)
            // Priority is the Priority admission plugin's (PriorityAdmissionTests), not the strategy's.
            #expect(spec["priority"] == nil)
            #expect(spec["serviceAccountName"] == "default")
            #expect(spec["serviceAccount"] == "default")
            #expect(spec["tolerations"] == [
                ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
                ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
            ])
            let containers = spec.elements(at: "containers")
            #expect(containers.map { $0["imagePullPolicy"] } == ["Always", "IfNotPresent", "Always", "IfNotPresent"])
            #expect(containers[0]["terminationMessagePath"] == "/dev/termination-log")
            #expect(containers[0]["terminationMessagePolicy"] == "File")
            #expect(containers[0][path: "ports"] == [["containerPort": 80, "protocol": "TCP"]])
            #expect(containers[0][path: "resources", "requests"] == ["cpu": "500m", "memory": "1Gi"])
            #expect(containers[0]["readinessProbe"] == [
                "httpGet": ["port": 80, "path": "/", "scheme": "HTTP"],
                "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3,
            ])
            #expect(containers[1]["resources"] == .emptyObject)
            #expect(spec["volumes"] == [["name": "scratch", "emptyDir": .emptyObject], ["name": "config", "configMap": ["name": "cm", "defaultMode": 420]]])
            #expect(pod["status"] == ["phase": "Pending", "qosClass": "Burstable"])
        }
    }

    @Test func qualityOfServiceComparesQuantities() {
        func container(requests: JSONValue? = nil, limits: JSONValue? = nil) -> JSONValue {
            var resources: JSONValue = .emptyObject
            resources["requests"] = requests
            resources["limits"] = limits
            return ["name": "c", "image": "i", "resources": resources]
        }
        func qos(_ containers: JSONValue...) -> String { PodQOS.classify(["containers": .array(containers)]) }
        #expect(qos(container()) == "BestEffort")
        #expect(qos(container(requests: ["cpu": "0"])) == "BestEffort")
        #expect(qos(container(requests: ["cpu": "100m"])) == "Burstable")
        #expect(qos(container(requests: ["cpu": "0.5", "memory": "1024Mi"], limits: ["cpu": "500m", "memory": "1Gi"])) == "Guaranteed")
        #expect(qos(container(requests: ["cpu": "1", "memory": "1Gi"], limits: ["cpu": "1", "memory": "2Gi"])) == "Burstable")
        #expect(qos(container(limits: ["cpu": "1", "memory": "1Gi"]), container(requests: ["cpu": "1"])) == "Burstable")
        #expect(qos(container(requests: ["ephemeral-storage": "1Gi"])) == "BestEffort")
    }

    /// The READY, STATUS and RESTARTS cells of a pod with this status.
    private func row(_ status: JSONValue, spec: JSONValue = ["containers": [["name": "c"]]], deleting: Bool = false) -> [JSONValue] {
        var pod: JSONValue = ["metadata": ["name": "p", "creationTimestamp": .string(ago(90))], "spec": spec, "status": status]
        if deleting { pod.deletionTimestamp = Timestamp.now().rfc3339 }
        return Array(Self.strategy.tableCells(for: pod, now: .now())[1...4])
    }

    private func containerStatus(ready: Bool, restarts: Int64 = 0, state: JSONValue, lastFinished: String? = nil) -> JSONValue {
        var status: JSONValue = ["name": "c", "ready": .bool(ready), "restartCount": .int(restarts), "state": state]
        if let lastFinished { status["lastState"] = ["terminated": ["exitCode": 1, "finishedAt": .string(lastFinished)]] }
        return status
    }

    @Test func statusColumnFollowsThePrinter() {
        #expect(row(["phase": "Pending"]) == ["0/1", "Pending", "0", "90s"])
        let running = containerStatus(ready: true, state: ["running": ["startedAt": .string(ago(60))]])
        #expect(row(["phase": "Running", "containerStatuses": [running]]) == ["1/1", "Running", "0", "90s"])
        let crashing = containerStatus(ready: false, restarts: 4, state: ["waiting": ["reason": "CrashLoopBackOff"]], lastFinished: ago(30))
        #expect(row(["phase": "Running", "containerStatuses": [crashing]]) == ["0/1", "CrashLoopBackOff", "4 (30s ago)", "90s"])
        let completed = containerStatus(ready: false, state: ["terminated": ["reason": "Completed", "exitCode": 0]])
        #expect(row(["phase": "Succeeded", "containerStatuses": [completed]])[1] == "Completed")
        #expect(row(["phase": "Succeeded", "containerStatuses": [completed]], deleting: true)[1] == "Completed", "terminal pods are not Terminating")
        #expect(row(["phase": "Running", "containerStatuses": [running]], deleting: true)[1] == "Terminating")
        #expect(row(["phase": "Running", "reason": "NodeLost", "containerStatuses": [running]], deleting: true)[1] == "Unknown")
        let killed = containerStatus(ready: false, state: ["terminated": ["exitCode": 137, "signal": 9]])
        #expect(row(["phase": "Failed", "containerStatuses": [killed]])[1] == "Signal:9")
        let gated: JSONValue = ["phase": "Pending", "conditions": [["type": "PodScheduled", "status": "False", "reason": "SchedulingGated"]]]
        #expect(row(gated)[1] == "SchedulingGated")
    }

    @Test func initContainersAndSidecars() {
        let spec: JSONValue = ["initContainers": [["name": "setup"], ["name": "proxy", "restartPolicy": "Always"]], "containers": [["name": "c"]]]
        let waiting: JSONValue = ["name": "setup", "ready": false, "restartCount": 0, "state": ["waiting": ["reason": "PodInitializing"]]]
        #expect(row(["phase": "Pending", "initContainerStatuses": [waiting]], spec: spec)[0...1] == ["0/2", "Init:0/2"])
        var failing = waiting
        failing["state"] = ["waiting": ["reason": "CrashLoopBackOff"]]
        failing["restartCount"] = 3
        #expect(row(["phase": "Pending", "initContainerStatuses": [failing]], spec: spec)[1...2] == ["Init:CrashLoopBackOff", "3"])
        let done: JSONValue = ["name": "setup", "ready": false, "restartCount": 2, "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]]
        let sidecar: JSONValue = ["name": "proxy", "ready": true, "started": true, "restartCount": 1, "state": ["running": .emptyObject]]
        let app = containerStatus(ready: true, restarts: 1, state: ["running": .emptyObject])
        let status: JSONValue = ["phase": "Running", "conditions": [["type": "Initialized", "status": "True"]],
                                 "initContainerStatuses": [done, sidecar], "containerStatuses": [app]]
        // Once initialized, restarts count the sidecar's and the app's, not the finished init container's.
        #expect(row(status, spec: spec)[0...2] == ["2/2", "Running", "2"])
    }

    @Test func wideColumns() {
        let pod: JSONValue = [
            "metadata": ["name": "p"], "spec": ["nodeName": "n1", "readinessGates": [["conditionType": "example.com/ready"]], "containers": [["name": "c"]]],
            "status": ["podIP": "10.244.0.5", "podIPs": [["ip": "10.244.0.5"]], "conditions": [["type": "example.com/ready", "status": "True"]]],
        ]
        #expect(Array(Self.strategy.tableCells(for: pod, now: .now())[5...]) == ["10.244.0.5", "n1", "<none>", "1/1"])
        #expect(Self.strategy.tableColumns.map(\.name) == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
    }

    @Test func validationMessages() async throws {
        try await withRegistry { registry in
            let pods = try registry.store("pods")
            let empty = await apiError { _ = try await pods.create(namespace: "test", object: ["metadata": ["name": "p"], "spec": .emptyObject]) }
            #expect(empty?.message == #"Pod "p" is invalid: spec.containers: Required value"#)
            let bad = await apiError {
                _ = try await pods.create(namespace: "test", object: ["metadata": ["name": "p"], "spec": ["containers": [
                    ["name": "Web", "image": "nginx"], ["name": "db"], ["name": "db", "image": "postgres", "volumeMounts": [["name": "data", "mountPath": "/d"]]],
                ]]])
            }
            #expect(bad?.details?.causes.map(\.field) == [
                "spec.containers[0].name", "spec.containers[1].image", "spec.containers[2].volumeMounts[0].name", "spec.containers[2].name",
            ])
            #expect(bad?.details?.causes.last?.message == #"Duplicate value: "db""#)
        }
    }

    @Test func updatesMayOnlyChangeImagesAndAddTolerations() async throws {
        try await withRegistry { registry in
            let pods = try registry.store("pods")
            let pod = try await pods.create(namespace: "test", object: ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "nginx:1"]]]])
            var changed = pod
            changed[path: "spec", "containers"] = [["name": "c", "image": "nginx:2"]]
            changed[path: "spec", "tolerations"] = .array(pod.elements(at: "spec", "tolerations") + [["key": "k", "operator": "Exists"]])
            let updated = try await pods.update(namespace: "test", name: "p", object: changed)
            #expect(updated.elements(at: "spec", "containers").first?["imagePullPolicy"] == "IfNotPresent")
            var forbidden = updated
            forbidden[path: "spec", "restartPolicy"] = "Never"
            let error = await apiError { _ = try await pods.update(namespace: "test", name: "p", object: forbidden) }
            #expect(error?.details?.causes.first?.field == "spec")
            #expect(error?.message.contains("pod updates may not change fields other than `spec.containers[*].image`") == true)
        }
    }

    @Test func boundPodsAreDeletedGracefully() async throws {
        try await withRegistry { registry in
            let pods = try registry.store("pods")
            for name in ["unscheduled", "bound"] {
                _ = try await pods.create(namespace: "test", object: ["metadata": ["name": .string(name)], "spec": ["containers": [["name": "c", "image": "i"]]]])
            }
            _ = try await pods.guaranteedUpdate(namespace: "test", name: "bound", precondition: nil, options: WriteOptions(), subresource: "binding") { pod in
                var pod = pod
                pod[path: "spec", "nodeName"] = "n1"
                return pod
            }
            guard case .deleted = try await pods.delete(namespace: "test", name: "unscheduled") else {
                Issue.record("an unscheduled pod waited for a grace period")
                return
            }
            guard case .pending(let terminating) = try await pods.delete(namespace: "test", name: "bound") else {
                Issue.record("a bound pod was deleted at once")
                return
            }
            #expect(terminating.deletionGracePeriodSeconds == 30)
            #expect(Self.strategy.tableCells(for: terminating, now: .now())[2] == "Terminating")
        }
    }

    @Test func selectableFields() {
        let pod: JSONValue = ["spec": ["nodeName": "n1", "hostNetwork": true], "status": ["phase": "Running", "podIPs": [["ip": "10.0.0.1"]]]]
        let fields = Self.strategy.fieldValues(of: pod)
        #expect(fields["spec.nodeName"] == "n1")
        #expect(fields["spec.hostNetwork"] == "true")
        #expect(fields["status.podIP"] == "10.0.0.1")
        #expect(fields["spec.restartPolicy"] == "")
        #expect(Set(fields.keys) == Set(Self.strategy.selectableFields))
    }
}
