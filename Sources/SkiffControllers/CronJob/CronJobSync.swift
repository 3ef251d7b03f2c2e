import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One CronJob brought in line with its schedule (upstream's `syncCronJob` and
/// `cleanupFinishedJobs`).
struct CronJobSync: Reconciler {
    let cronJobs: TypedLister<BatchV1.CronJob>
    let jobs: TypedLister<BatchV1.Job>
    let client: KubernetesClient
    let recorder: EventRecorder
    /// The wall clock schedules are read against.
    let clock: any TimestampClock

    /// The annotation recording the time a job was scheduled for.
    static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"
    /// Missed start times beyond which the controller warns (upstream's limit).
    static let tooManyMissed = 100

    private var jobClient: ResourceClient<BatchV1.Job> { client.batch.v1.jobs() }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let cached = cronJobs.get(key: key) else { return .done }
        var cronJob = cached
        let now = clock.now
        let children = jobs.namespace(cronJob.namespace).list().filter { $0.isControlled(by: cronJob) }
        try await reconcileActive(&cronJob, children: children)
        var requeue: Duration?
        if !cronJob.isBeingDeleted {
            requeue = try await schedule(&cronJob, now: now, logger: logger)
            await cleanUpFinishedJobs(&cronJob, children: children)
        }
        if cronJob.status != cached.status {
            _ = try await client.batch.v1.cronJobs(cronJob.namespace).updateStatus(cronJob)
        }
        return requeue.map(ReconcileResult.requeueAfter) ?? .done
    }

    // MARK: Active jobs

    /// Drops finished and vanished jobs from `status.active`, adds running ones it lacks, and
    /// moves `lastSuccessfulTime` to the latest completion.
    private func reconcileActive(_ cronJob: inout BatchV1.CronJob, children: [BatchV1.Job]) async throws {
        var active = cronJob.status?.active ?? []
        for job in children {
            let uid = job.metadata?.uid ?? ""
            let listed = active.contains { $0.uid == uid }
            if !listed, !job.isFinished {
                await recorder.record(reference(to: cronJob), type: .warning, reason: "UnexpectedJob",
                                      message: "Saw a job that the controller did not create or forgot: \(job.name)")
                active.append(Self.activeReference(to: job))
            } else if listed, let condition = job.finishedCondition {
                active.removeAll { $0.uid == uid }
                await recorder.record(reference(to: cronJob), reason: "SawCompletedJob",
                                      message: "Saw completed job: \(job.name), condition: \(condition.type)")
            }
            if let completed = job.status?.completionTime {
                let last = cronJob.status?.lastSuccessfulTime
                if last.map({ completed > $0 }) ?? true { cronJob.changeStatus { $0.lastSuccessfulTime = completed } }
            }
        }
        // Listed jobs the cache does not have: confirm with the server before dropping them.
        for reference in active where !children.contains(where: { $0.metadata?.uid == reference.uid }) {
            let name = reference.name ?? ""
            do {
                let job = try await jobClient.namespace(cronJob.namespace).get(name)
                if job.metadata?.uid == reference.uid { continue }
            } catch let error as APIError where error.isNotFound {}
            await recorder.record(self.reference(to: cronJob), reason: "MissingJob", message: "Active job went missing: \(name)")
            active.removeAll { $0.uid == reference.uid }
        }
        cronJob.setActive(active)
    }

    // MARK: Scheduling

    /// Starts the job of the most recent unmet scheduled time if it is due; returns when to
    /// look again (the next scheduled time), nil when never (suspended, unparseable).
    private func schedule(_ cronJob: inout BatchV1.CronJob, now: Timestamp, logger: Logger) async throws -> Duration? {
        guard let spec = cronJob.spec else { return nil }
        let cronReference = reference(to: cronJob)
        let zone: TimeZone
        if let name = spec.timeZone {
            guard let named = TimeZone(identifier: name) else {
                await recorder.record(cronReference, type: .warning, reason: "UnknownTimeZone",
                                      message: "invalid timeZone: \"\(name)\": unknown time zone \(name)")
                return nil
            }
            zone = named
        } else {
            zone = TimeZone(identifier: "UTC") ?? .current
        }
        if spec.suspend == true { return nil }
        let text = spec.schedule
        guard let schedule = try? CronSchedule(parsing: text) else {
            await recorder.record(cronReference, type: .warning, reason: "UnparseableSchedule",
                                  message: "unparseable schedule: \"\(text)\" : \(CronSchedule.problem(in: text) ?? "")")
            return nil
        }
        // A `TZ=` prefix in the schedule (rejected at creation since v1.27) still wins, as upstream.
        var scheduleZone = zone
        if text.contains("TZ") {
            await recorder.record(cronReference, type: .warning, reason: "UnsupportedSchedule", message:
                "CRON_TZ or TZ used in schedule \"\(text)\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details")
            if let name = schedule.timeZone {
                guard let named = TimeZone(identifier: name) else {
                    await recorder.record(cronReference, type: .warning, reason: "UnparseableSchedule",
                                          message: "unparseable schedule: \"\(text)\" : provided bad location \(name): unknown time zone \(name)")
                    return nil
                }
                scheduleZone = named
            }
        }
        let offsetZone = scheduleZone
        let offset: @Sendable (Int64) -> Int64 = { Int64(offsetZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0)))) }
        let untilNext: Duration = {
            guard let next = schedule.next(after: now, utcOffset: offset) else { return .seconds(3600) }
            return .seconds(next.seconds - now.seconds) - .nanoseconds(Int64(now.nanoseconds)) + .milliseconds(100)
        }()
        let deadline = spec.startingDeadlineSeconds
        guard let scheduled = await mostRecentScheduleTime(cronJob, schedule: schedule, offset: offset, deadline: deadline, now: now) else {
            return untilNext
        }
        if let deadline, scheduled.adding(seconds: deadline) < now {
            await recorder.record(cronReference, type: .warning, reason: "MissSchedule",
                                  message: "Missed scheduled time to start a job: \(Self.rfc1123Z(scheduled))")
            return untilNext
        }
        let jobName = "\(cronJob.name)-\(scheduled.seconds / 60)"
        var active = cronJob.status?.active ?? []
        if active.contains(where: { $0.name == jobName }) {
            // Started by a sync whose status update was lost: the time is met all the same.
            cronJob.changeStatus { $0.lastScheduleTime = scheduled }
            return untilNext
        }
        switch spec.concurrencyPolicy ?? "Allow" {
        case "Forbid" where !active.isEmpty:
            await recorder.record(cronReference, reason: "JobAlreadyActive",
                                  message: "Not starting job because prior execution is running and concurrency policy is Forbid")
            return untilNext
        case "Replace":
            for reference in active {
                try await deleteJob(reference.name ?? "", of: cronJob)
                active.removeAll { $0.uid == reference.uid }
            }
        default:
            break
        }
        let annotationOffset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(scheduled.seconds))))
        var job = Self.job(from: cronJob, named: jobName, scheduled: scheduled, offset: annotationOffset)
        do {
            job = try await jobClient.namespace(cronJob.namespace).create(job)
            await recorder.record(cronReference, reason: "SuccessfulCreate", message: "Created job \(jobName)")
        } catch let error as APIError where error.isAlreadyExists {
            // Created in an earlier sync whose status update did not land.
            let existing = try await jobClient.namespace(cronJob.namespace).get(jobName)
            guard existing.isControlled(by: cronJob) else { throw error }
            job = existing
        } catch {
            await recorder.record(cronReference, type: .warning, reason: "FailedCreate", message: "Error creating job: \(error)")
            throw error
        }
        logger.debug("created job", metadata: ["job": "\(jobName)"])
        if !job.isFinished { active.append(Self.activeReference(to: job)) }
        cronJob.setActive(active)
        cronJob.changeStatus { $0.lastScheduleTime = scheduled }
        return untilNext
    }

    /// The latest scheduled time in (last schedule or creation, now], no earlier than
    /// `startingDeadlineSeconds` ago; warns when more than 100 were missed.
    private func mostRecentScheduleTime(
        _ cronJob: BatchV1.CronJob, schedule: CronSchedule, offset: (Int64) -> Int64, deadline: Int64?, now: Timestamp
    ) async -> Timestamp? {
        var earliest = cronJob.status?.lastScheduleTime ?? cronJob.metadata?.creationTimestamp ?? now
        if let deadline, now.adding(seconds: -deadline) > earliest { earliest = now.adding(seconds: -deadline) }
        var latest: Timestamp?
        var missed = 0
        var cursor = earliest
        while let next = schedule.next(after: cursor, utcOffset: offset), next <= now {
            latest = next
            missed += 1
            cursor = next
        }
        if missed > Self.tooManyMissed {
            await recorder.record(reference(to: cronJob), type: .warning, reason: "TooManyMissedTimes",
                                  message: "too many missed start times: \(missed). Set or decrease .spec.startingDeadlineSeconds or check clock skew")
        }
        return latest
    }

    /// A job of the cron job's template (upstream's `getJobFromTemplate2`).
    static func job(from cronJob: BatchV1.CronJob, named name: String, scheduled: Timestamp, offset: Int64) -> BatchV1.Job {
        let template = cronJob.spec?.jobTemplate
        var annotations = template?.metadata?.annotations ?? [:]
        annotations[scheduledTimestampAnnotation] = rfc3339(scheduled, offset: offset)
        let metadata = ObjectMeta(
            name: name, namespace: cronJob.namespace, labels: template?.metadata?.labels, annotations: annotations,
            ownerReferences: [.controller(of: cronJob)])
        return BatchV1.Job(metadata: metadata, spec: template?.spec)
    }

    static func activeReference(to job: BatchV1.Job) -> CoreV1.ObjectReference {
        CoreV1.ObjectReference(
            apiVersion: "batch/v1", kind: "Job", name: job.name, namespace: job.namespace,
            resourceVersion: job.metadata?.resourceVersion ?? "", uid: job.metadata?.uid ?? "")
    }

    private func reference(to cronJob: BatchV1.CronJob) -> ObjectReference {
        ObjectReference(cronJob)
    }

    // MARK: History

    /// Deletes the oldest finished jobs beyond `successfulJobsHistoryLimit` and
    /// `failedJobsHistoryLimit`.
    private func cleanUpFinishedJobs(_ cronJob: inout BatchV1.CronJob, children: [BatchV1.Job]) async {
        let finished = children.filter(\.isFinished)
        for (type, limit) in [("Complete", cronJob.spec?.successfulJobsHistoryLimit), ("Failed", cronJob.spec?.failedJobsHistoryLimit)] {
            guard let limit else { continue }
            let ofType = finished.filter { $0.finishedCondition?.type == type }.sorted { lhs, rhs in
                Self.startTime(lhs) < Self.startTime(rhs)
            }
            for job in ofType.dropLast(Int(limit)) {
                do {
                    try await deleteJob(job.name, of: cronJob)
                } catch {
                    continue
                }
                cronJob.setActive((cronJob.status?.active ?? []).filter { $0.uid != job.metadata?.uid })
            }
        }
    }

    private static func startTime(_ job: BatchV1.Job) -> Timestamp {
        job.status?.startTime ?? job.metadata?.creationTimestamp ?? Timestamp(seconds: 0)
    }

    /// Deletes a job in the background, with the `SuccessfulDelete` event.
    private func deleteJob(_ name: String, of cronJob: BatchV1.CronJob) async throws {
        do {
            try await jobClient.namespace(cronJob.namespace).delete(name, options: DeleteOptions(propagationPolicy: .background))
        } catch let error as APIError where error.isNotFound {
            return
        } catch {
            await recorder.record(reference(to: cronJob), type: .warning, reason: "FailedDelete", message: "Deleted job: \(error)")
            throw error
        }
        await recorder.record(reference(to: cronJob), reason: "SuccessfulDelete", message: "Deleted job \(name)")
    }

    // MARK: Time formats

    /// RFC 3339 in the zone `offset` seconds east of UTC (`Z` for UTC), as Go formats it.
    static func rfc3339(_ time: Timestamp, offset: Int64) -> String {
        guard offset != 0 else { return time.rfc3339 }
        let local = String(Timestamp(seconds: time.seconds + offset).rfc3339.dropLast())
        let magnitude = abs(offset) / 60
        return local + (offset < 0 ? "-" : "+") + pad(magnitude / 60) + ":" + pad(magnitude % 60)
    }

    /// RFC 1123 with a numeric zone in UTC (`Mon, 02 Jan 2006 15:04:05 +0000`).
    static func rfc1123Z(_ time: Timestamp) -> String {
        let text = Array(time.rfc3339)
        let days = time.seconds >= 0 ? time.seconds / 86_400 : (time.seconds - 86_399) / 86_400
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = Int(String(text[5...6])) ?? 1
        return "\(weekdays[Int((days % 7 + 7) % 7)]), \(String(text[8...9])) \(months[month - 1]) \(String(text[0...3])) "
            + "\(String(text[11...18])) +0000"
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension BatchV1.CronJob {
    /// Changes the status (an absent status stays absent unless a field is set).
    fileprivate mutating func changeStatus(_ change: (inout BatchV1.CronJobStatus) -> Void) {
        var changed = status ?? BatchV1.CronJobStatus()
        change(&changed)
        if status != nil || changed != BatchV1.CronJobStatus() { status = changed }
    }

    /// Sets `status.active`, leaving it out when empty (upstream's `omitempty`).
    fileprivate mutating func setActive(_ active: [CoreV1.ObjectReference]) {
        changeStatus { $0.active = active.isEmpty ? nil : active }
    }
}
