import SkiffAPI
import SkiffRegistry
import Testing

@Suite struct KindTests {
    @Test func podDefaultsAndStatus() async throws {
        try await withRegistry { registry in
            let pods = try registry.store(GroupResource(group: "", resource: "pods"))
            let pod = try await pods.create(namespace: "test", object: [
                "metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "nginx"], ["name": "d", "image": "busybox:1.36"]]],
            ])
            #expect(pod[path: "spec", "restartPolicy"] == "Always")
            #expect(pod[path: "spec", "dnsPolicy"] == "ClusterFirst")
            #expect(pod[path: "spec", "terminationGracePeriodSeconds"] == 30)
            #expect(pod[path: "spec", "serviceAccountName"] == "default")
            #expect(pod[path: "spec", "containers"]?.arrayValue?[0]["imagePullPolicy"] == "Always")
            #expect(pod[path: "spec", "containers"]?.arrayValue?[1]["imagePullPolicy"] == "IfNotPresent")
            #expect(pod[path: "status", "phase"] == "Pending")
            #expect(pod[path: "status", "qosClass"] == "BestEffort")
            let cells = pods.strategy.tableCells(for: pod, now: .now())
            #expect(cells[1] == "0/2")
            #expect(cells[2] == "Pending")
            // An unscheduled pod is deleted at once.
            guard case .deleted = try await pods.delete(namespace: "test", name: "p") else {
                Issue.record("pending deletion")
                return
            }
        }
    }

    @Test func subresourceWritesSkipThePodSpecImmutability() async throws {
        try await withRegistry { registry in
            let pods = try registry.store(GroupResource(group: "", resource: "pods"))
            _ = try await pods.create(namespace: "test", object: ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "nginx"]]]])
            let bound = try await pods.guaranteedUpdate(namespace: "test", name: "p", precondition: nil, options: WriteOptions(), subresource: true) { pod in
                var pod = pod
                pod[path: "spec", "nodeName"] = "n1"
                return pod
            }
            #expect(bound[path: "spec", "nodeName"] == "n1")
            var changed = bound
            changed[path: "spec", "nodeName"] = "n2"
            await #expect(throws: APIError.self) { try await pods.update(namespace: "test", name: "p", object: changed) }
        }
    }

    @Test func eventsAreSharedBetweenBothAPIs() async throws {
        try await withRegistry { registry in
            let core = try registry.store(GroupResource(group: "", resource: "events"))
            let modern = try registry.store(GroupResource(group: "events.k8s.io", resource: "events"))
            _ = try await core.create(namespace: "test", object: [
                "metadata": ["name": "e1"], "involvedObject": ["kind": "Pod", "name": "p"], "reason": "Started",
                "message": "Started container", "type": "Normal", "count": 2, "source": ["component": "kubelet"],
            ])
            let seen = try await modern.get(namespace: "test", name: "e1")
            #expect(seen.apiVersion == "events.k8s.io/v1")
            #expect(seen["regarding"] == ["kind": "Pod", "name": "p"])
            #expect(seen["note"] == "Started container")
            #expect(seen["deprecatedCount"] == 2)
            #expect(seen["reportingController"] == "kubelet")
            _ = try await modern.create(namespace: "test", object: [
                "metadata": ["name": "e2"], "regarding": ["kind": "Node", "name": "n"], "reason": "Ready", "note": "ready",
                "type": "Normal", "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "skiff", "reportingInstance": "i", "action": "Check",
            ])
            let legacy = try await core.get(namespace: "test", name: "e2")
            #expect(legacy.apiVersion == "v1")
            #expect(legacy["involvedObject"] == ["kind": "Node", "name": "n"])
            #expect(legacy["message"] == "ready")
            var options = ListOptions()
            options.resourceVersion = "0"
            try await core.cache.waitUntilFresh(try await registry.storage.currentRevision())
            #expect(try await core.list(namespace: "test", options: options).items.count == 2)
        }
    }

    @Test func podTableReasons() async throws {
        try await withRegistry { registry in
            let strategy = try registry.store(GroupResource(group: "", resource: "pods")).strategy
            let base: JSONValue = ["metadata": ["name": "p"], "spec": ["containers": [["name": "c"]]]]
            var running = base
            running["status"] = ["phase": "Running", "containerStatuses": [["name": "c", "ready": true, "restartCount": 0, "state": ["running": .emptyObject]]]]
            #expect(Array(strategy.tableCells(for: running, now: .now())[1...3]) == ["1/1", "Running", "0"])
            var crashing = base
            crashing["status"] = ["phase": "Running", "containerStatuses": [["name": "c", "ready": false, "restartCount": 4,
                                                                             "state": ["waiting": ["reason": "CrashLoopBackOff"]]]]]
            #expect(Array(strategy.tableCells(for: crashing, now: .now())[1...3]) == ["0/1", "CrashLoopBackOff", "4"])
            var completed = base
            completed["status"] = ["phase": "Succeeded", "containerStatuses": [["name": "c", "ready": false, "restartCount": 0,
                                                                               "state": ["terminated": ["reason": "Completed", "exitCode": 0]]]]]
            #expect(strategy.tableCells(for: completed, now: .now())[2] == "Completed")
            var terminating = running
            terminating.deletionTimestamp = Timestamp.now().rfc3339
            #expect(strategy.tableCells(for: terminating, now: .now())[2] == "Terminating")
        }
    }

    @Test func serviceIPsAreUniqueAndImmutable() async throws {
        try await withRegistry { registry in
            let services = try registry.store(GroupResource(group: "", resource: "services"))
            var ips = Set<String>()
            for index in 0..<20 {
                let service = try await services.create(namespace: "test", object: [
                    "metadata": ["name": .string("s\(index)")], "spec": ["ports": [["port": 80]]],
                ])
                #expect(service[path: "spec", "type"] == "ClusterIP")
                #expect(service[path: "spec", "ports"]?.arrayValue?[0]["targetPort"] == 80)
                ips.insert(service[path: "spec", "clusterIP"]?.stringValue ?? "")
            }
            #expect(ips.count == 20)
            let explicit = try await services.create(namespace: "test", object: [
                "metadata": ["name": "fixed"], "spec": ["clusterIP": "10.96.5.5", "ports": [["port": 80]]],
            ])
            #expect(explicit[path: "spec", "clusterIP"] == "10.96.5.5")
            await #expect(throws: APIError.self) {
                try await services.create(namespace: "test", object: ["metadata": ["name": "dup"], "spec": ["clusterIP": "10.96.5.5", "ports": [["port": 80]]]])
            }
            var changed = explicit
            changed[path: "spec", "clusterIP"] = "10.96.5.6"
            await #expect(throws: APIError.self) { try await services.update(namespace: "test", name: "fixed", object: changed) }
        }
    }

    @Test func namespaceDeletionTerminatesAndHolds() async throws {
        try await withRegistry { registry in
            let namespaces = try registry.store(GroupResource(group: "", resource: "namespaces"))
            let created = try await namespaces.create(namespace: nil, object: ["metadata": ["name": "doomed"]])
            #expect(created[path: "spec", "finalizers"] == ["kubernetes"])
            #expect(created[path: "status", "phase"] == "Active")
            guard case .pending(let terminating) = try await namespaces.delete(namespace: nil, name: "doomed") else {
                Issue.record("deleted at once")
                return
            }
            #expect(terminating[path: "status", "phase"] == "Terminating")
            await #expect(throws: APIError.self) { try await registry.configMaps.create(namespace: "doomed", object: configMap("late")) }
            var finalized = terminating
            finalized[path: "spec", "finalizers"] = []
            _ = try await namespaces.update(namespace: nil, name: "doomed", object: finalized, target: .finalize)
            await #expect(throws: APIError.self) { try await namespaces.get(namespace: nil, name: "doomed") }
        }
    }

    @Test func jobsGetGeneratedSelectors() async throws {
        try await withRegistry { registry in
            let jobs = try registry.store(GroupResource(group: "batch", resource: "jobs"))
            let job = try await jobs.create(namespace: "test", object: [
                "metadata": ["name": "j"],
                "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox"]]]]],
            ])
            let uid = try #require(job.uid)
            #expect(job[path: "spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"] == .string(uid))
            #expect(job[path: "spec", "template", "metadata", "labels", "job-name"] == "j")
            #expect(job[path: "spec", "backoffLimit"] == 6)
            #expect(job[path: "spec", "completions"] == 1)
        }
    }
}
