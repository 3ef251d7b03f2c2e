import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Starts Jobs on a cron schedule (upstream's cronjob controller, v2): at each scheduled time
/// it creates `<cronjob>-<minutes since the epoch>` from the job template, honours
/// `startingDeadlineSeconds`, `concurrencyPolicy` (Allow, Forbid, Replace), `suspend` and
/// `timeZone`, keeps `status.active`, `lastScheduleTime` and `lastSuccessfulTime`, deletes
/// finished jobs beyond the history limits, and comes back at the next scheduled time.
public struct CronJobController: Sendable {
    public struct Configuration: Sendable {
        /// CronJobs reconciled at the same time.
        public var workers = 5

        public init() {}
    }

    static let component = "cronjob-controller"

    private let controller: Controller<BatchV1.CronJob>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let cronJobs = context.informers.informer(for: BatchV1.CronJob.self)
        let jobs = context.informers.informer(for: BatchV1.Job.self)
        let sync = CronJobSync(
            cronJobs: cronJobs.lister, jobs: jobs.lister, client: context.client,
            recorder: context.eventRecorder(component: Self.component), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "cronjob", workers: configuration.workers), informer: cronJobs, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "cronjob"))
        // A job's change brings its cron job back (to notice it finished, or vanished).
        controller.watch(jobs) { job in
            guard let reference = job.metadata?.controllerReference, reference.kind == "CronJob",
                GroupVersion(apiVersion: reference.apiVersion)?.group == "batch"
            else { return [] }
            return [ObjectKey.make(namespace: job.namespace, name: reference.name)]
        }
    }

    /// Reconciles CronJobs until cancelled.
    public func run() async {
        await controller.run()
    }
}
