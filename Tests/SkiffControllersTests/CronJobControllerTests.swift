import SkiffAPI
import SkiffClient
import SkiffControllers
import SkiffTesting
import Testing

/// Cron jobs start jobs at their scheduled times (on a hand-moved clock), honour the
/// concurrency policies, track active and successful jobs, and keep limited history.
struct CronJobControllerTests {
    static func cronJob(_ name: String, schedule: String = "* * * * *", spec: JSONValue = .emptyObject) -> JSONValue {
        var object: JSONValue = [
            "apiVersion": "batch/v1", "kind": "CronJob", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "schedule": .string(schedule),
                "jobTemplate": [
                    "metadata": ["labels": ["team": "batch"]],
                    "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "main", "image": "busybox"]]]]],
                ],
            ],
        ]
        for (field, value) in spec.objectValue ?? [:] { object[path: "spec", field] = value }
        return object
    }

    static func jobs(of cronJob: JSONValue, in cluster: InProcessCluster) async throws -> [JSONValue] {
        try await cluster.jobs().list().items.filter { $0.isControlled(by: cronJob.uid ?? "") && $0.deletionTimestamp == nil }
    }

    /// Marks `job` complete as the job controller would, started at its scheduled time.
    static func complete(_ job: JSONValue, in cluster: InProcessCluster) async throws {
        var job = try await cluster.jobs().get(job.name ?? "")
        let now = JSONValue.string(Timestamp.now().rfc3339)
        let started = JSONValue.string(job.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] ?? "")
        job["status"] = [
            "startTime": started, "completionTime": now, "succeeded": 1,
            "conditions": [
                ["type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached", "lastTransitionTime": now],
                ["type": "Complete", "status": "True", "reason": "CompletionsReached", "lastTransitionTime": now],
            ],
        ]
        _ = try await cluster.jobs().updateStatus(job)
    }

    /// Creates `cronJob`, then moves the clock on so that it stands at least 61 s after the
    /// creation time the server stamped from the wall clock: the first schedule after it has
    /// come, however long a loaded machine took between starting the clock and the create.
    static func create(in cluster: InProcessCluster, clock: ManualClock, _ cronJob: JSONValue) async throws -> JSONValue {
        let created = try await cluster.cronJobs().create(cronJob)
        let creation = Timestamp(rfc3339: created[path: "metadata", "creationTimestamp"]?.stringValue ?? "") ?? .now()
        let lag = creation.seconds + 61 - clock.now.seconds
        if lag > 0 { clock.advance(seconds: lag) }
        return created
    }

    /// Moves the clock a minute on and has the controller look again.
    static func nextMinute(_ clock: ManualClock, _ name: String, in cluster: InProcessCluster) async throws {
        clock.advance(seconds: 60)
        _ = try await cluster.cronJobs().patch(name, type: .merge, patch: ["metadata": ["annotations": ["tick": .string("\(clock.now.seconds)")]]])
    }

    /// Runs the cron job controller (and its work queue) on a manual clock starting a minute and a second from now.
    static func run(_ body: @Sendable @escaping (InProcessCluster, ManualClock) async throws -> Void) async throws {
        let clock = ManualClock(start: Timestamp.now().adding(seconds: 61))
        try await InProcessCluster.withControllers(controllers: [.cronJob], configure: { $0.clock = clock }) { cluster in
            // The server stamps creation times from the wall clock: however long the start took,
            // the first schedule after a creation now must fall before the manual clock's time.
            let lag = Timestamp.now().seconds + 61 - clock.now.seconds
            if lag > 0 { clock.advance(seconds: lag) }
            try await body(cluster, clock)
        }
    }

    @Test func startsJobsOnScheduleAndTracksThem() async throws {
        try await Self.run { cluster, clock in
            let created = try await Self.create(in: cluster, clock: clock, Self.cronJob("tick"))
            try await waitUntil("a job") { try await Self.jobs(of: created, in: cluster).count == 1 }
            let job = try await Self.jobs(of: created, in: cluster)[0]
            let scheduledText = try #require(job.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"])
            let scheduled = try #require(Timestamp(rfc3339: scheduledText))
            #expect(scheduled.seconds % 60 == 0 && scheduled <= clock.now && scheduledText.hasSuffix("Z"))
            #expect(job.name == "tick-\(scheduled.seconds / 60)")
            #expect(job.labels["team"] == "batch")
            #expect(job.controllerReference?["kind"] == "CronJob" && job.controllerReference?["blockOwnerDeletion"] == true)
            try await waitUntil("the status") {
                let status = try await cluster.cronJobs().get("tick")["status"]
                return status?["active"]?.arrayValue?.first?["name"]?.stringValue == job.name
                    && status?["lastScheduleTime"]?.stringValue == scheduled.rfc3339
            }

            try await Self.complete(job, in: cluster)
            try await waitUntil("the job no longer active") {
                let status = try await cluster.cronJobs().get("tick")["status"]
                return status?["active"] == nil && status?["lastSuccessfulTime"] != nil
            }
            try await Self.nextMinute(clock, "tick", in: cluster)
            try await waitUntil("a second job") { try await Self.jobs(of: created, in: cluster).count == 2 }
            // Events are written after the fact, as upstream's recorder writes them.
            try await waitUntil("the events") {
                Set(try await cluster.eventReasons(about: "tick")).isSuperset(of: ["SuccessfulCreate", "SawCompletedJob"])
            }
        }
    }

    @Test func readsTheScheduleInItsTimeZone() async throws {
        try await Self.run { cluster, clock in
            // Half-hour schedules in a zone 5:30 east of UTC fall on the hour or half hour in UTC.
            let created = try await Self.create(in: cluster, clock: clock, Self.cronJob("zoned", schedule: "*/30 * * * *", spec: ["timeZone": "Asia/Kolkata"]))
            clock.advance(seconds: 1800)
            _ = try await cluster.cronJobs().patch("zoned", type: .merge, patch: ["metadata": ["annotations": ["tick": "1"]]])
            try await waitUntil("a job") { try await Self.jobs(of: created, in: cluster).count == 1 }
            let job = try await Self.jobs(of: created, in: cluster)[0]
            let text = try #require(job.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"])
            #expect(text.hasSuffix("+05:30"))
            let scheduled = try #require(Timestamp(rfc3339: text))
            #expect(scheduled.seconds % 1800 == 0 && scheduled <= clock.now)

            _ = try await Self.create(in: cluster, clock: clock, Self.cronJob("nowhere", spec: ["timeZone": "Mars/Olympus_Mons"]))
            try await waitUntil("the warning") { try await cluster.eventReasons(about: "nowhere").contains("UnknownTimeZone") }
        }
    }

    @Test func forbidSkipsAndReplaceReplaces() async throws {
        try await Self.run { cluster, clock in
            let forbid = try await Self.create(in: cluster, clock: clock, Self.cronJob("forbid", spec: ["concurrencyPolicy": "Forbid"]))
            let replace = try await Self.create(in: cluster, clock: clock, Self.cronJob("replace", spec: ["concurrencyPolicy": "Replace"]))
            try await waitUntil("a job each") {
                let forbidJobs = try await Self.jobs(of: forbid, in: cluster)
                let replaceJobs = try await Self.jobs(of: replace, in: cluster)
                return forbidJobs.count == 1 && replaceJobs.count == 1
            }
            let replaced = try await Self.jobs(of: replace, in: cluster)[0]
            try await Self.nextMinute(clock, "forbid", in: cluster)
            _ = try await cluster.cronJobs().patch("replace", type: .merge, patch: ["metadata": ["annotations": ["tick": "1"]]])
            try await waitUntil("the replacement") {
                let jobs = try await Self.jobs(of: replace, in: cluster)
                return jobs.count == 1 && jobs[0].uid != replaced.uid
            }
            try await waitUntil("the forbid event") { try await cluster.eventReasons(about: "forbid").contains("JobAlreadyActive") }
            #expect(try await Self.jobs(of: forbid, in: cluster).count == 1)
            try await waitUntil("the replace event") { try await cluster.eventReasons(about: "replace").contains("SuccessfulDelete") }
        }
    }

    @Test func suspendedCronJobsStartNothingUntilResumed() async throws {
        try await Self.run { cluster, clock in
            let suspended = try await Self.create(in: cluster, clock: clock, Self.cronJob("paused", spec: ["suspend": true]))
            let witness = try await Self.create(in: cluster, clock: clock, Self.cronJob("witness"))
            try await waitUntil("the witness's job") { try await Self.jobs(of: witness, in: cluster).count == 1 }
            #expect(try await Self.jobs(of: suspended, in: cluster).isEmpty)
            #expect(try await cluster.cronJobs().get("paused")[path: "status", "lastScheduleTime"] == nil)
            _ = try await cluster.cronJobs().patch("paused", type: .merge, patch: ["spec": ["suspend": false]])
            try await waitUntil("a job once resumed") { try await Self.jobs(of: suspended, in: cluster).count == 1 }
        }
    }

    @Test func keepsTheHistoryLimits() async throws {
        try await Self.run { cluster, clock in
            let spec: JSONValue = ["successfulJobsHistoryLimit": 1]
            let created = try await Self.create(in: cluster, clock: clock, Self.cronJob("hist", spec: spec))
            var names: [String] = []
            for round in 1...3 {
                try await waitUntil("job \(round)") { try await Self.jobs(of: created, in: cluster).contains { !$0.isJobComplete } }
                let job = try #require(try await Self.jobs(of: created, in: cluster).first { !$0.isJobComplete })
                names.append(job.name ?? "")
                let scheduled = job.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]
                try await waitUntil("job \(round) recorded") {
                    try await cluster.cronJobs().get("hist")[path: "status", "lastScheduleTime"]?.stringValue == scheduled
                }
                try await Self.complete(job, in: cluster)
                try await waitUntil("job \(round) seen complete") { try await cluster.cronJobs().get("hist")[path: "status", "active"] == nil }
                if round < 3 { try await Self.nextMinute(clock, "hist", in: cluster) }
            }
            let newest = names[2]
            try await waitUntil("one job kept") { try await Self.jobs(of: created, in: cluster).map(\.name) == [newest] }
        }
    }
}

extension JSONValue {
    var isJobComplete: Bool {
        self[path: "status", "conditions"]?.arrayValue?.contains { $0["type"] == "Complete" && $0["status"] == "True" } ?? false
    }
}
