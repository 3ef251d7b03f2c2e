import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Deletes finished Jobs `spec.ttlSecondsAfterFinished` seconds after they finished
/// (upstream's ttl-after-finished controller): the finish time is the `Complete` or `Failed`
/// condition's last transition; a job not yet expired is looked at again when it expires;
/// before deleting, the job is read again from the server (its TTL may have changed), and it is
/// deleted in the foreground with a UID precondition, as upstream does.
public struct TTLAfterFinishedController: Sendable {
    private let controller: Controller<BatchV1.Job>

    public init(context: ControllerContext, workers: Int = 5) {
        let jobs = context.informers.informer(for: BatchV1.Job.self)
        controller = Controller(
            configuration: .init(name: "ttl-after-finished", workers: workers), informer: jobs, key: \.cacheKey,
            reconciler: Sync(jobs: jobs.lister, client: context.client.batch.v1.jobs(), clock: context.clock),
            clock: context.clock, logger: context.logger(for: "ttl-after-finished"))
    }

    /// Deletes expired jobs until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let jobs: TypedLister<BatchV1.Job>
        let client: ResourceClient<BatchV1.Job>
        let clock: any TimestampClock

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let cached = jobs.get(key: key) else { return .done }
            guard let wait = Self.timeLeft(cached, now: clock.now) else { return .done }
            if wait > .zero { return .requeueAfter(wait) }
            let objects = client.namespace(cached.namespace)
            let fresh: BatchV1.Job
            do {
                fresh = try await objects.get(cached.name)
            } catch let error as APIError where error.isNotFound {
                return .done
            }
            // The job may have changed since it was cached: decide on the stored one.
            guard let freshWait = Self.timeLeft(fresh, now: clock.now) else { return .done }
            if freshWait > .zero { return .requeueAfter(freshWait) }
            logger.debug("deleting expired job")
            do {
                try await objects.delete(
                    fresh.name, options: DeleteOptions(propagationPolicy: .foreground, preconditions: .init(uid: fresh.metadata?.uid)))
            } catch let error as APIError where error.isNotFound {
                return .done
            }
            return .done
        }

        /// How long until the finished job expires (zero or less: expired); nil when it does not
        /// expire (no TTL, not finished, or already being deleted).
        static func timeLeft(_ job: BatchV1.Job, now: Timestamp) -> Duration? {
            guard job.metadata?.deletionTimestamp == nil, let ttl = job.spec?.ttlSecondsAfterFinished, let finished = job.finishTime
            else { return nil }
            let expiry = finished.adding(seconds: Int64(ttl))
            return expiry.duration(since: now)
        }
    }
}
