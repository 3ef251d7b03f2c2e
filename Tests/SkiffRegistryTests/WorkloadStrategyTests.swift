import SkiffAPI
@testable import SkiffRegistry
import Testing

@Suite struct WorkloadStrategyTests {
    private func deployment(_ name: String, selector: JSONValue? = ["matchLabels": ["app": "web"]], labels: JSONValue = ["app": "web"]) -> JSONValue {
        var object: JSONValue = ["metadata": ["name": .string(name)], "spec": [
            "template": ["metadata": ["labels": labels], "spec": ["containers": [["name": "web", "image": "nginx:1.27"]]]],
        ]]
        object[path: "spec", "selector"] = selector
        return object
    }

    @Test func deploymentDefaults() async throws {
        try await withRegistry { registry in
            let created = try await registry.store("deployments", group: "apps").create(namespace: "test", object: deployment("web"))
            let spec = try #require(created["spec"])
            #expect(spec["replicas"] == 1)
            #expect(spec["strategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
            #expect(spec["revisionHistoryLimit"] == 10)
            #expect(spec["progressDeadlineSeconds"] == 600)
            #expect(spec[path: "template", "metadata", "creationTimestamp"] == .null)
            #expect(spec[path: "template", "spec", "restartPolicy"] == "Always")
            #expect(spec[path: "template", "spec", "terminationGracePeriodSeconds"] == 30)
            #expect(spec[path: "template", "spec", "containers"]?.arrayValue?.first?["imagePullPolicy"] == "IfNotPresent")
            #expect(spec[path: "template", "spec", "serviceAccountName"] == nil, "admission defaults are for pods only")
            #expect(spec[path: "template", "spec", "enableServiceLinks"] == nil, "pod-only defaults stay out of templates")
            #expect(created.generation == 1)
            #expect(created["status"] == .emptyObject)
            let recreate = try await registry.store("deployments", group: "apps").create(namespace: "test", object: {
                var object = deployment("batch")
                object[path: "spec", "strategy"] = ["type": "Recreate"]
                return object
            }())
            #expect(recreate[path: "spec", "strategy"] == ["type": "Recreate"])
        }
    }

    @Test func selectorsAreRequiredMatchingAndImmutable() async throws {
        try await withRegistry { registry in
            let deployments = try registry.store("deployments", group: "apps")
            let missing = await apiError { _ = try await deployments.create(namespace: "test", object: deployment("a", selector: nil)) }
            #expect(missing?.details?.causes.map(\.field) == ["spec.selector", "spec.template.metadata.labels"])
            let mismatch = await apiError { _ = try await deployments.create(namespace: "test", object: deployment("b", labels: ["app": "other"])) }
            #expect(mismatch?.message == #"Deployment.apps "b" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`"#)
            let empty = await apiError { _ = try await deployments.create(namespace: "test", object: deployment("c", selector: .emptyObject)) }
            #expect(empty?.details?.causes.first?.message.hasSuffix("empty selector is invalid for deployment") == true)
            var job = deployment("d")
            job[path: "spec", "template", "spec", "restartPolicy"] = "Never"
            let never = await apiError { _ = try await deployments.create(namespace: "test", object: job) }
            #expect(never?.message == #"Deployment.apps "d" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#)

            let created = try await deployments.create(namespace: "test", object: deployment("e"))
            var moved = created
            moved[path: "spec", "selector"] = ["matchLabels": ["app": "web", "tier": "x"]]
            moved[path: "spec", "template", "metadata", "labels"] = ["app": "web", "tier": "x"]
            let immutable = await apiError { _ = try await deployments.update(namespace: "test", name: "e", object: moved) }
            #expect(immutable?.details?.causes.map(\.field) == ["spec.selector"])
            #expect(immutable?.details?.causes.first?.message.hasSuffix("field is immutable") == true)
        }
    }

    @Test func deploymentTable() {
        var object = deployment("web")
        object[path: "spec", "replicas"] = 3
        object["status"] = ["readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2]
        #expect(Array(DeploymentStrategy().tableCells(for: object, now: .now())[1...3]) == ["2/3", 3, 2])
        #expect(Array(DeploymentStrategy().tableCells(for: object, now: .now())[5...]) == ["web", "nginx:1.27", "app=web"])
        #expect(DeploymentStrategy().tableColumns.map(\.name) == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
    }

    @Test func statefulSetsChangeOnlyWhatUpstreamAllows() async throws {
        try await withRegistry { registry in
            let statefulSets = try registry.store("statefulsets", group: "apps")
            var object = deployment("db")
            object[path: "spec", "volumeClaimTemplates"] = [["metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]]
            let created = try await statefulSets.create(namespace: "test", object: object)
            #expect(created[path: "spec", "podManagementPolicy"] == "OrderedReady")
            #expect(created[path: "spec", "updateStrategy"] == ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
            #expect(created[path: "spec", "persistentVolumeClaimRetentionPolicy"] == ["whenDeleted": "Retain", "whenScaled": "Retain"])
            #expect(created[path: "spec", "volumeClaimTemplates"]?.arrayValue?.first?["status"] == ["phase": "Pending"])
            #expect(created[path: "spec", "volumeClaimTemplates"]?.arrayValue?.first?[path: "spec", "volumeMode"] == "Filesystem")
            #expect(created["status"] == ["replicas": 0, "availableReplicas": 0])
            var scaled = created
            scaled[path: "spec", "replicas"] = 3
            var resized = try await statefulSets.update(namespace: "test", name: "db", object: scaled)
            resized[path: "spec", "volumeClaimTemplates"] = [["metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "2Gi"]]]]]
            let error = await apiError { _ = try await statefulSets.update(namespace: "test", name: "db", object: resized) }
            #expect(error?.message == #"StatefulSet.apps "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"#)
            let dotted = await apiError { _ = try await statefulSets.create(namespace: "test", object: deployment("db.v2")) }
            #expect(dotted?.details?.causes.first?.field == "metadata.name")
        }
    }

    @Test func daemonSetDefaults() async throws {
        try await withRegistry { registry in
            let created = try await registry.store("daemonsets", group: "apps").create(namespace: "test", object: deployment("agent"))
            #expect(created[path: "spec", "updateStrategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
            #expect(created[path: "spec", "revisionHistoryLimit"] == 10)
            #expect(created["status"] == ["currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0])
            let cells = DaemonSetStrategy().tableCells(for: created, now: .now())
            #expect(cells[6] == "<none>")
        }
    }

    @Test func controllerRevisionsKeepTheirData() async throws {
        try await withRegistry { registry in
            let revisions = try registry.store("controllerrevisions", group: "apps")
            let data: JSONValue = ["spec": ["template": ["$patch": "replace", "spec": ["containers": [["name": "db", "image": "postgres:16"]]]]]]
            let owner: JSONValue = ["apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "u1", "controller": true]
            let created = try await revisions.create(namespace: "test", object: [
                "metadata": ["name": "db-1", "ownerReferences": [owner]], "data": data, "revision": 1,
            ])
            #expect(created["data"] == data)
            #expect(Array(ControllerRevisionStrategy().tableCells(for: created, now: .now())[1...2]) == ["statefulset.apps/db", 1])
            #expect(ControllerRevisionStrategy().tableColumns.map(\.name) == ["Name", "Controller", "Revision", "Age"])

            // The revision number may change (a rollback renumbers), the data may not.
            var renumbered = created
            renumbered["revision"] = 3
            #expect(try await revisions.update(namespace: "test", name: "db-1", object: renumbered)["revision"] == 3)
            var edited = try await revisions.get(namespace: "test", name: "db-1")
            edited[path: "data", "spec", "template", "spec"] = ["containers": [["name": "db", "image": "postgres:17"]]]
            let immutable = await apiError { _ = try await revisions.update(namespace: "test", name: "db-1", object: edited) }
            #expect(immutable?.details?.causes.map(\.field) == ["data"])
            #expect(immutable?.details?.causes.first?.message.hasSuffix("field is immutable") == true)

            let missing = await apiError { _ = try await revisions.create(namespace: "test", object: ["metadata": ["name": "db-2"], "revision": 2]) }
            #expect(missing?.message == #"ControllerRevision.apps "db-2" is invalid: data: Required value: data is mandatory"#)
            let negative = await apiError {
                _ = try await revisions.create(namespace: "test", object: ["metadata": ["name": "db-3"], "data": data, "revision": -1])
            }
            #expect(negative?.details?.causes.map(\.field) == ["revision"])
            #expect(ControllerRevisionStrategy.controller(of: ["metadata": ["name": "orphan"]]) == "<none>")
        }
    }

    @Test func jobsGetGeneratedSelectorsAndLabels() async throws {
        try await withRegistry { registry in
            let jobs = try registry.store("jobs", group: "batch")
            let job = try await jobs.create(namespace: "test", object: [
                "metadata": ["name": "pi"],
                "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "pi", "image": "perl"]]]]],
            ])
            let uid = try #require(job.uid)
            #expect(job[path: "spec", "selector"] == ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]])
            let expectedLabels: JSONValue = ["batch.kubernetes.io/controller-uid": .string(uid), "controller-uid": .string(uid),
                                             "batch.kubernetes.io/job-name": "pi", "job-name": "pi"]
            #expect(job[path: "spec", "template", "metadata", "labels"] == expectedLabels)
            #expect(job[path: "metadata", "labels"] == expectedLabels, "a job without labels takes its template's")
            let spec = try #require(job["spec"])
            #expect(spec["completions"] == 1 && spec["parallelism"] == 1 && spec["backoffLimit"] == 6)
            #expect(spec["completionMode"] == "NonIndexed" && spec["suspend"] == false && spec["manualSelector"] == false)
            #expect(spec["podReplacementPolicy"] == "TerminatingOrFailed")
            #expect(job.generation == 1)

            let always = await apiError {
                _ = try await jobs.create(namespace: "test", object: ["metadata": ["name": "bad"],
                                                                      "spec": ["template": ["spec": ["containers": [["name": "c", "image": "i"]]]]]])
            }
            #expect(always?.message == #"Job.batch "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#)
            let manual = await apiError {
                _ = try await jobs.create(namespace: "test", object: ["metadata": ["name": "manual"], "spec": ["manualSelector": true,
                    "template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "i"]]]]]])
            }
            #expect(manual?.details?.causes.first?.field == "spec.selector")

            var changed = job
            changed[path: "spec", "template", "spec", "containers"] = [["name": "pi", "image": "perl:2"]]
            let immutable = await apiError { _ = try await jobs.update(namespace: "test", name: "pi", object: changed) }
            #expect(immutable?.details?.causes.map(\.field) == ["spec.template"])
        }
    }

    @Test func jobTable() {
        let strategy = JobStrategy()
        var job: JSONValue = ["metadata": ["name": "pi"], "spec": ["completions": 3, "parallelism": 1], "status": ["succeeded": 1, "startTime": .string(ago(200))]]
        #expect(Array(strategy.tableCells(for: job, now: .now())[1...3]) == ["Running", "1/3", "3m20s"])
        job[path: "spec", "completions"] = nil
        job[path: "spec", "parallelism"] = 2
        job["status"] = ["succeeded": 1, "startTime": .string(ago(100)), "completionTime": .string(ago(40)),
                         "conditions": [["type": "Complete", "status": "True"]]]
        #expect(Array(strategy.tableCells(for: job, now: .now())[1...3]) == ["Complete", "1/1 of 2", "60s"])
        job[path: "spec", "parallelism"] = 1
        job["status"] = .emptyObject
        job.deletionTimestamp = Timestamp.now().rfc3339
        #expect(Array(strategy.tableCells(for: job, now: .now())[1...3]) == ["Terminating", "0/1", ""])
    }

    @Test func cronJobs() async throws {
        try await withRegistry { registry in
            let cronJobs = try registry.store("cronjobs", group: "batch")
            let template: JSONValue = ["spec": ["template": ["spec": ["restartPolicy": "OnFailure", "containers": [["name": "c", "image": "busybox"]]]]]]
            let created = try await cronJobs.create(namespace: "test", object: ["metadata": ["name": "hello"], "spec": ["schedule": "*/5 * * * *", "jobTemplate": template]])
            #expect(created[path: "spec", "concurrencyPolicy"] == "Allow")
            #expect(created[path: "spec", "successfulJobsHistoryLimit"] == 3)
            #expect(created[path: "spec", "failedJobsHistoryLimit"] == 1)
            #expect(created[path: "spec", "jobTemplate", "metadata", "creationTimestamp"] == .null)
            #expect(created[path: "spec", "jobTemplate", "spec", "backoffLimit"] == nil, "job defaults are not applied to job templates")
            #expect(Array(cronJobs.strategy.tableCells(for: created, now: .now())[1...5]) == ["*/5 * * * *", "<none>", "False", 0, "<none>"])

            let long = String(repeating: "a", count: 53)
            let tooLong = await apiError {
                _ = try await cronJobs.create(namespace: "test", object: ["metadata": ["name": .string(long)], "spec": ["schedule": "@hourly", "jobTemplate": template]])
            }
            #expect(tooLong?.details?.causes.first?.message == #"Invalid value: "\#(long)": must be no more than 52 characters"#)
            let badSchedule = await apiError {
                _ = try await cronJobs.create(namespace: "test", object: ["metadata": ["name": "bad"], "spec": ["schedule": "61 * * * *", "jobTemplate": template]])
            }
            #expect(badSchedule?.message == #"CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61"#)
        }
    }

    @Test func cronSchedules() {
        #expect(CronSchedule.problem(in: "0 0 * * MON-FRI") == nil)
        #expect(CronSchedule.problem(in: "@every 1h30m") == nil)
        #expect(CronSchedule.problem(in: "CRON_TZ=UTC 0 * * * *") == nil)
        #expect(CronSchedule.problem(in: "* * *") == "expected exactly 5 fields, found 3: [* * *]")
        #expect(CronSchedule.problem(in: "@often") == "unrecognized descriptor: @often")
        #expect(CronSchedule.problem(in: "x * * * *") == #"failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax"#)
        #expect(CronSchedule.problem(in: "5-1 * * * *") == "beginning of range (5) beyond end of range (1): 5-1")
        #expect(CronSchedule.problem(in: "*/0 * * * *") == "step of range should be a positive number: */0")
    }
}
