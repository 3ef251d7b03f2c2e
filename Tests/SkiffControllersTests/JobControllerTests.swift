import SkiffAPI
import SkiffClient
import SkiffControllers
import SkiffTesting
import Testing

/// Jobs run their pods to completion, fail past their back-off limit or deadline, suspend and
/// resume; pods are finished by writing their status, as a kubelet would.
struct JobControllerTests {
    static func job(_ name: String, spec: JSONValue = .emptyObject) -> JSONValue {
        var object: JSONValue = [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "template": ["spec": ["restartPolicy": "Never", "containers": [["name": "main", "image": "busybox"]]]],
            ],
        ]
        for (field, value) in spec.objectValue ?? [:] { object[path: "spec", field] = value }
        return object
    }

    /// The job's pods that are not being deleted.
    static func pods(of job: JSONValue, in cluster: InProcessCluster) async throws -> [JSONValue] {
        try await cluster.pods().list().items.filter { $0.isControlled(by: job.uid ?? "") && $0.deletionTimestamp == nil }
    }

    /// Ends `pod` in `phase`, with a terminated container, through the status subresource.
    static func finish(
        _ pod: JSONValue, phase: String, exitCode: Int64? = nil, conditions: [JSONValue] = [], in cluster: InProcessCluster
    ) async throws {
        var pod = try await cluster.pods().get(pod.name ?? "")
        let now = JSONValue.string(Timestamp.now().rfc3339)
        pod["status"] = [
            "phase": .string(phase),
            "containerStatuses": [[
                "name": "main", "image": "busybox", "imageID": "", "ready": false, "restartCount": 0,
                "state": ["terminated": ["exitCode": .int(exitCode ?? (phase == "Succeeded" ? 0 : 1)), "startedAt": now, "finishedAt": now]],
            ]],
        ]
        if !conditions.isEmpty { pod[path: "status", "conditions"] = .array(conditions) }
        _ = try await cluster.pods().updateStatus(pod)
    }

    static func condition(_ type: String, of job: JSONValue) -> JSONValue? {
        job[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    @Test func runsCompletionsWithParallelismAndCompletes() async throws {
        try await InProcessCluster.withControllers(controllers: [.job]) { cluster in
            let created = try await cluster.jobs().create(Self.job("work", spec: ["completions": 3, "parallelism": 2]))
            try await waitUntil("two pods") { try await Self.pods(of: created, in: cluster).count == 2 }
            let first = try await Self.pods(of: created, in: cluster)
            for pod in first {
                let name = pod.name ?? ""
                #expect(name.hasPrefix("work-") && name.count == "work-".count + 5)
                #expect(pod.finalizers.contains("batch.kubernetes.io/job-tracking"))
                #expect(pod.labels["batch.kubernetes.io/job-name"] == "work" && pod.labels["job-name"] == "work")
                #expect(pod.labels["batch.kubernetes.io/controller-uid"] == created.uid)
                #expect(pod.controllerReference?["kind"] == "Job" && pod.controllerReference?["blockOwnerDeletion"] == true)
            }
            try await waitUntil("two active") { try await cluster.jobs().get("work")[path: "status", "active"] == 2 }
            #expect(try await cluster.jobs().get("work")[path: "status", "startTime"] != nil)

            for pod in first { try await Self.finish(pod, phase: "Succeeded", in: cluster) }
            try await waitUntil("a third pod") {
                let pods = try await Self.pods(of: created, in: cluster)
                return pods.count == 3 && pods.filter(\.isFinished).count == 2
            }
            try await waitUntil("two counted") { try await cluster.jobs().get("work")[path: "status", "succeeded"] == 2 }
            for pod in first {
                #expect(try await !cluster.pods().get(pod.name ?? "").finalizers.contains("batch.kubernetes.io/job-tracking"))
            }
            let third = try await Self.pods(of: created, in: cluster).first { !$0.isFinished }
            try await Self.finish(try #require(third), phase: "Succeeded", in: cluster)
            try await waitUntil("complete") { Self.condition("Complete", of: try await cluster.jobs().get("work"))?["status"] == "True" }

            let job = try await cluster.jobs().get("work")
            let status = job["status"]
            #expect(status?["succeeded"] == 3 && status?["active"] == nil && status?["failed"] == nil)
            #expect(status?["ready"] == 0 && status?["terminating"] == 0 && status?["uncountedTerminatedPods"] == .emptyObject)
            #expect(status?["completionTime"] != nil)
            #expect(Self.condition("SuccessCriteriaMet", of: job)?["reason"] == "CompletionsReached")
            #expect(Self.condition("Complete", of: job)?["message"] == "Reached expected number of succeeded pods")
            try await waitUntil("the Completed event") { try await cluster.eventReasons(about: "work").contains("Completed") }
            #expect(Set(try await cluster.eventReasons(about: "work")) == ["SuccessfulCreate", "Completed"])
            #expect(try await cluster.pods().list().items.count == 3)
        }
    }

    @Test func failsPastTheBackoffLimitAfterBackingOff() async throws {
        try await InProcessCluster.withControllers(controllers: [.job], configure: { $0.job.podFailureBackOff = .seconds(2) }) { cluster in
            let created = try await cluster.jobs().create(Self.job("flaky", spec: ["backoffLimit": 1]))
            try await waitUntil("a pod") { try await Self.pods(of: created, in: cluster).count == 1 }
            let first = try await Self.pods(of: created, in: cluster)[0]
            try await Self.finish(first, phase: "Failed", in: cluster)
            try await waitUntil("one failure counted") { try await cluster.jobs().get("flaky")[path: "status", "failed"] == 1 }
            try await waitUntil("a replacement") {
                let pods = try await Self.pods(of: created, in: cluster)
                return pods.count == 2 && pods.contains { !$0.isFinished }
            }
            let replacement = try #require(try await Self.pods(of: created, in: cluster).first { !$0.isFinished })
            // The replacement waited for the back-off: 2 s after the failure (both times to the second).
            let failedAt = try await cluster.pods().get(first.name ?? "")[path: "status", "containerStatuses"]?.arrayValue?.first?[
                path: "state", "terminated", "finishedAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
            let replacedAt = replacement[path: "metadata", "creationTimestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
            #expect(try #require(replacedAt).seconds - (try #require(failedAt)).seconds >= 2)
            try await Self.finish(replacement, phase: "Failed", in: cluster)
            try await waitUntil("failed") { Self.condition("Failed", of: try await cluster.jobs().get("flaky"))?["status"] == "True" }

            let job = try await cluster.jobs().get("flaky")
            #expect(job[path: "status", "failed"] == 2 && job[path: "status", "completionTime"] == nil)
            #expect(Self.condition("FailureTarget", of: job)?["reason"] == "BackoffLimitExceeded")
            #expect(Self.condition("Failed", of: job)?["message"] == "Job has reached the specified backoff limit")
            #expect(Self.condition("Complete", of: job) == nil)
            try await waitUntil("the warning") { try await cluster.eventReasons(about: "flaky").contains("BackoffLimitExceeded") }
            #expect(try await Self.pods(of: created, in: cluster).count == 2)
        }
    }

    @Test func podFailurePolicyIgnoresDisruptionsAndFailsOnExitCodes() async throws {
        try await InProcessCluster.withControllers(controllers: [.job], configure: { $0.job.podFailureBackOff = .milliseconds(100) }) { cluster in
            let policy: JSONValue = ["rules": [
                ["action": "FailJob", "onExitCodes": ["containerName": "main", "operator": "In", "values": [42]]],
                ["action": "Ignore", "onPodConditions": [["type": "DisruptionTarget"]]],
            ]]
            let created = try await cluster.jobs().create(Self.job("policy", spec: ["podFailurePolicy": policy]))
            try await waitUntil("a pod") { try await Self.pods(of: created, in: cluster).count == 1 }
            let disrupted = try await Self.pods(of: created, in: cluster)[0]
            try await Self.finish(disrupted, phase: "Failed", conditions: [["type": "DisruptionTarget", "status": "True"]], in: cluster)
            try await waitUntil("a replacement") { try await Self.pods(of: created, in: cluster).contains { !$0.isFinished } }
            try await waitUntil("the disrupted pod uncounted") {
                try await !cluster.pods().get(disrupted.name ?? "").finalizers.contains("batch.kubernetes.io/job-tracking")
            }
            #expect(try await cluster.jobs().get("policy")[path: "status", "failed"] == nil)

            let failing = try #require(try await Self.pods(of: created, in: cluster).first { !$0.isFinished })
            try await Self.finish(failing, phase: "Failed", exitCode: 42, in: cluster)
            try await waitUntil("failed") { Self.condition("Failed", of: try await cluster.jobs().get("policy"))?["status"] == "True" }
            let job = try await cluster.jobs().get("policy")
            let message = "Container main for pod default/\(failing.name ?? "") failed with exit code 42 matching FailJob rule at index 0"
            #expect(Self.condition("FailureTarget", of: job)?["reason"] == "PodFailurePolicy")
            #expect(Self.condition("Failed", of: job)?["message"] == .string(message))
            #expect(job[path: "status", "failed"] == 1)
        }
    }

    @Test func failsPastTheActiveDeadlineDeletingActivePods() async throws {
        try await InProcessCluster.withControllers(controllers: [.job]) { cluster in
            let created = try await cluster.jobs().create(Self.job("slow", spec: ["activeDeadlineSeconds": 1, "parallelism": 2, "completions": 4]))
            try await waitUntil("two pods") { try await Self.pods(of: created, in: cluster).count == 2 }
            try await waitUntil("failed") { Self.condition("Failed", of: try await cluster.jobs().get("slow"))?["status"] == "True" }
            let job = try await cluster.jobs().get("slow")
            #expect(Self.condition("FailureTarget", of: job)?["reason"] == "DeadlineExceeded")
            #expect(Self.condition("Failed", of: job)?["message"] == "Job was active longer than specified deadline")
            #expect(job[path: "status", "failed"] == 2 && job[path: "status", "active"] == nil)
            try await waitUntil("the pods gone") { try await Self.pods(of: created, in: cluster).isEmpty }
            try await waitUntil("the warning") { try await cluster.eventReasons(about: "slow").contains("DeadlineExceeded") }
        }
    }

    @Test func suspendsAndResumes() async throws {
        try await InProcessCluster.withControllers(controllers: [.job]) { cluster in
            let created = try await cluster.jobs().create(Self.job("later", spec: ["suspend": true, "parallelism": 2, "completions": 2]))
            try await waitUntil("suspended") { Self.condition("Suspended", of: try await cluster.jobs().get("later"))?["status"] == "True" }
            var job = try await cluster.jobs().get("later")
            #expect(Self.condition("Suspended", of: job)?["reason"] == "JobSuspended")
            #expect(job[path: "status", "startTime"] == nil)
            #expect(try await Self.pods(of: created, in: cluster).isEmpty)

            _ = try await cluster.jobs().patch("later", type: .merge, patch: ["spec": ["suspend": false]])
            try await waitUntil("two pods") { try await Self.pods(of: created, in: cluster).count == 2 }
            try await waitUntil("resumed") { Self.condition("Suspended", of: try await cluster.jobs().get("later"))?["status"] == "False" }
            job = try await cluster.jobs().get("later")
            #expect(Self.condition("Suspended", of: job)?["reason"] == "JobResumed")
            #expect(job[path: "status", "startTime"] != nil)

            _ = try await cluster.jobs().patch("later", type: .merge, patch: ["spec": ["suspend": true]])
            try await waitUntil("the pods deleted") { try await Self.pods(of: created, in: cluster).isEmpty }
            try await waitUntil("suspended again") { Self.condition("Suspended", of: try await cluster.jobs().get("later"))?["status"] == "True" }
            // Pods deleted for a suspension are not failures.
            #expect(try await cluster.jobs().get("later")[path: "status", "failed"] == nil)
            #expect(Set(try await cluster.eventReasons(about: "later")).isSuperset(of: ["Suspended", "Resumed", "SuccessfulDelete"]))
        }
    }

    @Test func indexedJobsGiveEachPodAnIndex() async throws {
        try await InProcessCluster.withControllers(controllers: [.job]) { cluster in
            let spec: JSONValue = ["completionMode": "Indexed", "completions": 3, "parallelism": 2]
            let created = try await cluster.jobs().create(Self.job("shard", spec: spec))
            try await waitUntil("two pods") { try await Self.pods(of: created, in: cluster).count == 2 }
            var pods = try await Self.pods(of: created, in: cluster)
            #expect(Set(pods.compactMap { $0.annotations["batch.kubernetes.io/job-completion-index"] }) == ["0", "1"])
            for pod in pods {
                let index = pod.annotations["batch.kubernetes.io/job-completion-index"] ?? ""
                #expect(pod.labels["batch.kubernetes.io/job-completion-index"] == index)
                #expect(pod[path: "spec", "hostname"]?.stringValue == "shard-\(index)")
                #expect((pod.name ?? "").hasPrefix("shard-\(index)-"))
                #expect(pod[path: "spec", "containers"]?.arrayValue?.first?["env"]?.arrayValue?.first?["name"] == "JOB_COMPLETION_INDEX")
            }
            let second = try #require(pods.first { $0.annotations["batch.kubernetes.io/job-completion-index"] == "1" })
            try await Self.finish(second, phase: "Succeeded", in: cluster)
            try await waitUntil("index 2 started") {
                try await Self.pods(of: created, in: cluster).contains { $0.annotations["batch.kubernetes.io/job-completion-index"] == "2" }
            }
            try await waitUntil("index 1 completed") { try await cluster.jobs().get("shard")[path: "status", "completedIndexes"] == "1" }
            pods = try await Self.pods(of: created, in: cluster).filter { !$0.isFinished }
            for pod in pods { try await Self.finish(pod, phase: "Succeeded", in: cluster) }
            try await waitUntil("complete") { Self.condition("Complete", of: try await cluster.jobs().get("shard"))?["status"] == "True" }
            let job = try await cluster.jobs().get("shard")
            #expect(job[path: "status", "completedIndexes"] == "0-2" && job[path: "status", "succeeded"] == 3)
        }
    }
}

extension JSONValue {
    /// Whether the pod reports `Succeeded` or `Failed`.
    var isFinished: Bool {
        let phase = self[path: "status", "phase"]?.stringValue
        return phase == "Succeeded" || phase == "Failed"
    }
}
