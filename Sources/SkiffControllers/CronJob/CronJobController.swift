import Logging
import SkiffAPI
import SkiffClient

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

    private let controller: Controller<JSONValue>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let cronJobs = context.informers.informer(for: .cronJobs)
        let jobs = context.informers.informer(for: .jobs)
        let sync = CronJobSync(
            cronJobs: cronJobs.lister, jobs: jobs.lister, client: context.client,
            recorder: context.eventRecorder(component: Self.component), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "cronjob", workers: configuration.workers), informer: cronJobs, key: ObjectKey.of,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "cronjob"))
        // A job's change brings its cron job back (to notice it finished, or vanished).
        controller.watch(jobs) { job in
            guard let reference = job.controllerReference, reference["kind"]?.stringValue == "CronJob",
                GroupVersion(apiVersion: reference["apiVersion"]?.stringValue ?? "")?.group == "batch",
                let name = reference["name"]?.stringValue
            else { return [] }
            return [ObjectKey.make(namespace: job.namespace, name: name)]
        }
    }

    /// Reconciles CronJobs until cancelled.
    public func run() async {
        await controller.run()
    }
}
