import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// The horizontal pod autoscaler (upstream's `horizontalpodautoscaling` controller): every 15 s
/// it reads each autoscaler's target through its `scale` subresource, brings a replica count
/// outside `minReplicas`…`maxReplicas` back into range, and otherwise scales it to what its
/// resource metrics call for, read from `metrics.k8s.io` (a metrics server behind the
/// aggregator): upstream's replica calculation, stabilization and scaling policies. Custom and
/// external metrics fail (`ScalingActive=False`), as upstream's do without their APIs.
public struct HorizontalPodAutoscalerController: Sendable {
    public struct Configuration: Sendable {
        /// How often each autoscaler is looked at (upstream's `--horizontal-pod-autoscaler-sync-period`).
        public var syncPeriod: Duration = .seconds(15)
        /// Autoscalers reconciled at the same time (upstream's `--concurrent-horizontal-pod-autoscaler-syncs`).
        public var workers = 5

        public init() {}
    }

    private let controller: Controller<AutoscalingV2.HorizontalPodAutoscaler>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let autoscalers = context.informers.informer(for: AutoscalingV2.HorizontalPodAutoscaler.self)
        let pods = context.informers.informer(for: CoreV1.Pod.self)
        let sync = AutoscalerSync(
            autoscalers: autoscalers.lister, pods: pods.lister, client: context.client, metrics: ResourceMetricsClient(client: context.client),
            calculator: ReplicaCalculator(), normalizer: ReplicaNormalizer(), history: ScalingHistory(),
            mapper: RESTMapper(discovery: context.client.discovery),
            recorder: context.eventRecorder(component: "horizontal-pod-autoscaler"), clock: context.clock, syncPeriod: configuration.syncPeriod)
        controller = Controller(
            configuration: .init(name: "horizontalpodautoscaler", workers: configuration.workers), informer: autoscalers, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "horizontalpodautoscaler"))
    }

    /// Reconciles autoscalers until cancelled.
    public func run() async {
        await controller.run()
    }
}
