import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// The scheduler (upstream's kube-scheduler with the default profile): watches pods and nodes
/// through typed informers, queues pending pods that name `default-scheduler`, picks a node for
/// each in turn with the filter and score plugins, assumes the pod in its cache and binds it
/// through `pods/binding` while it goes on with the next pod.
///
/// A `Service`: graceful shutdown stops popping pods and lets the bindings in flight finish;
/// cancellation stops at once.
public struct Scheduler: Service {
    /// The scheduler name pods select (`spec.schedulerName`) and events report.
    public static let name = "default-scheduler"

    /// How the scheduler runs.
    public struct Configuration: Sendable {
        /// Upstream's `percentageOfNodesToScore`: 0 (the default) adapts to the cluster size.
        public var percentageOfNodesToScore = 0
        /// The time source of the queue's back-offs and flushes and of condition timestamps.
        public var clock: any TimestampClock = SystemClock()

        /// The default configuration, on the system clock.
        public init() {}
    }

    /// Bindings and failure reports in flight at most (each is one or two requests).
    let maximumInFlight = 64
    let client: KubernetesClient
    let clock: any TimestampClock
    let logger: Logger
    let algorithm: SchedulingAlgorithm
    let preemption: DefaultPreemption
    let cache = SchedulerCache()
    let queue: SchedulingQueue
    let nominator = NominatedPods()
    let events: EventRecorder
    let metrics = SchedulerMetrics(profile: Scheduler.name)
    let informers: SharedInformerFactory
    let pods: SharedInformer<CoreV1.Pod>
    let nodes: SharedInformer<CoreV1.Node>
    let claims: SharedInformer<CoreV1.PersistentVolumeClaim>
    let volumes: SharedInformer<CoreV1.PersistentVolume>
    let storageClasses: SharedInformer<StorageV1.StorageClass>
    let budgets: SharedInformer<PolicyV1.PodDisruptionBudget>

    /// A scheduler that talks to the server through `client`.
    public init(configuration: Configuration = Configuration(), client: KubernetesClient, logger: Logger) {
        self.client = client
        clock = configuration.clock
        var logger = logger
        logger[metadataKey: "component"] = "\(Self.name)"
        self.logger = logger
        queue = SchedulingQueue(clock: configuration.clock)
        events = EventRecorder(client: client.dynamic, component: Self.name, clock: configuration.clock, logger: logger)
        informers = SharedInformerFactory(client: client, stripsManagedFields: true, logger: logger)
        pods = informers.informer(for: CoreV1.Pod.self)
        nodes = informers.informer(for: CoreV1.Node.self)
        claims = informers.informer(for: CoreV1.PersistentVolumeClaim.self)
        volumes = informers.informer(for: CoreV1.PersistentVolume.self)
        storageClasses = informers.informer(for: StorageV1.StorageClass.self)
        budgets = informers.informer(for: PolicyV1.PodDisruptionBudget.self)
        var algorithm = SchedulingAlgorithm()
        algorithm.percentageOfNodesToScore = configuration.percentageOfNodesToScore
        algorithm.volumeListers = VolumeBinding.Listers(claims: claims.lister, volumes: volumes.lister, classes: storageClasses.lister)
        self.algorithm = algorithm
        preemption = DefaultPreemption(algorithm: algorithm)
    }

    /// Schedules until graceful shutdown (then drains the bindings in flight) or cancellation.
    public func run() async throws {
        let podHandler = pods.addHandler { event in handlePod(event) }
        let nodeHandler = nodes.addHandler { event in handleNode(event) }
        let claimHandler = claims.addHandler { _ in storageChanged() }
        let volumeHandler = volumes.addHandler { _ in storageChanged() }
        let classHandler = storageClasses.addHandler { _ in storageChanged() }
        defer {
            pods.removeHandler(podHandler)
            nodes.removeHandler(nodeHandler)
            claims.removeHandler(claimHandler)
            volumes.removeHandler(volumeHandler)
            storageClasses.removeHandler(classHandler)
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await informers.run() }
            group.addTask { await queue.run() }
            await withGracefulShutdownHandler {
                // Nothing is queued before the caches sync: graceful shutdown stops the wait.
                guard await cancelWhenGracefulShutdown({ await informers.waitForCacheSync() }) else { return }
                logger.info("scheduler started", metadata: ["nodes": "\(cache.nodeCount)"])
                await scheduleUntilClosed()
            } onGracefulShutdown: {
                queue.close()
            }
            // The loop ended (shut down, closed or cancelled): stop the informers and the queue's flushes.
            group.cancelAll()
        }
    }

    /// The scheduling loop: one pod at a time, each binding or failure report in a child task,
    /// until the queue closes; returns once those tasks are done. At most `maximumInFlight` of
    /// them run at once: more would only wait in the HTTP client's queue (where timeouts and
    /// cancellations cost time proportional to its length).
    private func scheduleUntilClosed() async {
        var startIndex = 0
        var random = SplitMix64()
        let limit = InFlightLimit(limit: maximumInFlight)
        await withDiscardingTaskGroup { group in
            while let entry = await queue.pop() {
                let start = ContinuousClock.now
                let decision = scheduleOne(entry, startIndex: &startIndex, random: &random)
                metrics.pending(queue.pendingCounts)
                guard let decision else { continue }
                await limit.acquire()
                switch decision {
                case .bind(let node):
                    group.addTask {
                        let bound = await bind(entry, to: node)
                        metrics.attempt(bound ? .scheduled : .error, since: start)
                        limit.release()
                    }
                case .fail(let failure, let preempted):
                    metrics.attempt(.unschedulable, since: start)
                    group.addTask {
                        if let preempted { await carryOut(preempted, for: entry.pod) }
                        await reportFailure(of: entry.pod, failure, nominatedNode: preempted?.nominatedNode)
                        limit.release()
                    }
                }
            }
        }
    }

    /// What a scheduling cycle decided.
    enum Decision: Sendable {
        case bind(String)
        /// No node fits; preemption ran if some node could fit without lower-priority pods.
        case fail(SchedulingAlgorithm.Failure, DefaultPreemption.Result?)
    }

    /// One scheduling cycle: picks a node and assumes the pod there, or runs preemption (which
    /// may nominate a node) and returns the pod to the queue as unschedulable. Nil when the pod
    /// no longer needs scheduling.
    func scheduleOne<Random: RandomNumberGenerator>(
        _ entry: QueuedPodInfo, startIndex: inout Int, random: inout Random
    ) -> Decision? {
        let pod = entry.pod
        let cycle = queue.schedulingCycle
        if pod.isBeingDeleted || cache.isAssumed(key: pod.key) {
            queue.done(key: pod.key)
            return nil
        }
        var snapshot = cache.snapshot()
        snapshot.nominated = nominator.snapshot()
        switch algorithm.schedule(pod, snapshot: snapshot, startIndex: &startIndex, random: &random) {
        case .success(let node):
            // The snapshot shares the cache's node array: dropped first, so that assuming the pod
            // changes one node in place instead of copying all of them.
            snapshot = Snapshot(nodes: [], podsWithRequiredAntiAffinity: 0)
            cache.assume(pod, on: node)
            nominator.remove(key: pod.key)
            queue.done(key: pod.key)
            return .bind(node)
        case .failure(.fit(var error)):
            metrics.preemptionAttempt()
            let result = preemption.preempt(
                pod, snapshot: snapshot, failures: error.failures, budgets: budgets.indexer.list().map(DisruptionBudget.init),
                now: clock.now, random: &random)
            error.postFilterMessage = result.message
            if let node = result.nominatedNode { nominator.nominate(pod, to: node) }
            for displaced in result.displacedNominations { nominator.remove(key: displaced.key) }
            queue.unschedulable(entry, schedulingCycle: cycle)
            return .fail(.fit(error), result)
        case .failure(let failure):
            queue.unschedulable(entry, schedulingCycle: cycle)
            return .fail(failure, nil)
        }
    }
}
