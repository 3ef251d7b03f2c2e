import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Runs Jobs to completion (upstream's job controller): creates pods from the template,
/// `parallelism` at a time until `completions` succeeded (or, without `completions`, until one
/// succeeded and the rest finished), replaces failed pods after an exponential back-off, fails
/// the job past `backoffLimit` or `activeDeadlineSeconds`, deletes the pods of a suspended job.
/// Pods carry the `batch.kubernetes.io/job-tracking` finalizer until they are counted in the
/// status (through `uncountedTerminatedPods`, as upstream); the job finishes with the interim
/// `SuccessCriteriaMet` / `FailureTarget` conditions first, then `Complete` / `Failed`.
public struct JobController: Sendable {
    public struct Configuration: Sendable {
        /// Jobs reconciled at the same time.
        public var workers = 5
        /// The wait before replacing a job's first failed pod; doubled for each further failure.
        public var podFailureBackOff: Duration = .seconds(10)
        /// The longest wait before replacing failed pods.
        public var maxPodFailureBackOff: Duration = .seconds(600)
        /// The most pods created or deleted in one sync (upstream's `MaxPodCreateDeletePerSync`).
        public var maxPodCreateDeletePerSync = 500

        public init() {}
    }

    static let component = "job-controller"

    private let controller: Controller<BatchV1.Job>
    private let pods: SharedInformer<CoreV1.Pod>
    private let podEvents: JobPodEventHandler

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let jobs = context.informers.informer(for: BatchV1.Job.self)
        pods = context.informers.informer(for: CoreV1.Pod.self)
        let expectations = ControllerExpectations(clock: context.clock)
        let finalizerExpectations = FinalizerExpectations()
        let sync = JobSync(
            jobs: jobs.lister, pods: pods.lister, client: context.client, expectations: expectations,
            finalizerExpectations: finalizerExpectations,
            backoff: JobBackoff(base: configuration.podFailureBackOff, maximum: configuration.maxPodFailureBackOff),
            recorder: context.eventRecorder(component: Self.component), maxPodCreateDeletePerSync: configuration.maxPodCreateDeletePerSync,
            clock: context.clock)
        controller = Controller(
            configuration: .init(name: "job", workers: configuration.workers), informer: jobs, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "job"))
        podEvents = JobPodEventHandler(
            jobs: jobs.lister, expectations: expectations, finalizerExpectations: finalizerExpectations, queue: controller.queue)
    }

    /// Reconciles Jobs until cancelled.
    public func run() async {
        let podEvents = self.podEvents
        let registration = pods.addHandler { event in podEvents.handle(event) }
        defer { pods.removeHandler(registration) }
        await controller.run()
    }
}

/// Turns pod changes into Job keys and observed expectations.
struct JobPodEventHandler: Sendable {
    let jobs: TypedLister<BatchV1.Job>
    let expectations: ControllerExpectations
    let finalizerExpectations: FinalizerExpectations
    let queue: DelayingWorkQueue<String>

    func handle(_ event: InformerEvent<CoreV1.Pod>) {
        switch event {
        case .added(let pod, _):
            guard let key = Self.jobKey(of: pod) else { return }
            if isOwnedByCachedJob(pod, key: key) { expectations.creationObserved(key) }
            queue.add(key)
        case .updated(let old, let new):
            guard old.metadata?.resourceVersion != new.metadata?.resourceVersion else { return }
            let oldKey = Self.jobKey(of: old)
            let newKey = Self.jobKey(of: new)
            if let newKey, !new.hasFinalizer(BatchV1.Job.trackingFinalizer) {
                finalizerExpectations.removalObserved(newKey, uid: new.metadata?.uid ?? "")
            }
            if let oldKey, oldKey != newKey { queue.add(oldKey) }
            if let newKey { queue.add(newKey) }
        case .deleted(let deleted):
            let pod = deleted.object
            guard let key = Self.jobKey(of: pod) else { return }
            finalizerExpectations.removalObserved(key, uid: pod.metadata?.uid ?? "")
            if isOwnedByCachedJob(pod, key: key) { expectations.deletionObserved(key) }
            queue.add(key)
        }
    }

    /// The key of the job named by the pod's controller reference, whether or not it still
    /// exists (a gone job's pods still need their finalizers removed).
    static func jobKey(of pod: CoreV1.Pod) -> String? {
        guard let reference = pod.metadata?.controllerReference, reference.kind == "Job",
            GroupVersion(apiVersion: reference.apiVersion)?.group == "batch"
        else { return nil }
        return ObjectKey.make(namespace: pod.namespace, name: reference.name)
    }

    private func isOwnedByCachedJob(_ pod: CoreV1.Pod, key: String) -> Bool {
        guard let job = jobs.get(key: key) else { return false }
        return pod.isControlled(by: job)
    }
}
