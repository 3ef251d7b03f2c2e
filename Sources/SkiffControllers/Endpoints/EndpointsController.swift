import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Keeps an Endpoints object named after every Service with a selector (upstream's endpoint
/// controller): the IPs of the pods the selector matches, ready ones under `addresses`, the
/// others under `notReadyAddresses` (all under `addresses` with `publishNotReadyAddresses`),
/// with the container ports the service's target ports resolve to, repacked into subsets of
/// addresses sharing their ports. Services without a selector are left alone; a deleted
/// service's Endpoints are deleted.
public struct EndpointsController: Sendable {
    public struct Configuration: Sendable {
        /// Services synced at the same time (upstream's `--concurrent-endpoint-syncs`).
        public var workers = 5

        public init() {}
    }

    static let component = "endpoint-controller"

    private let controller: Controller<CoreV1.Service>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let services = context.informers.informer(for: CoreV1.Service.self)
        let pods = context.informers.informer(for: CoreV1.Pod.self)
        let endpoints = context.informers.informer(for: CoreV1.Endpoints.self)
        let sync = EndpointsSync(
            services: services.lister, pods: pods.lister, endpoints: endpoints.lister,
            client: context.client.core.v1.endpoints(), recorder: context.eventRecorder(component: Self.component))
        controller = Controller(
            configuration: .init(name: "endpoint", workers: configuration.workers), informer: services, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "endpoint"))
        let serviceLister = services.lister
        controller.watch(pods) { pod in Self.services(selecting: pod, in: serviceLister) }
        // Changed and deleted Endpoints are synced back; new ones only from the first list
        // (upstream's leftover check at start), since Endpoints may be written before their service.
        let queue = controller.queue
        endpoints.addHandler { event in
            switch event {
            case .added(let object, let isInInitialList): if isInInitialList { queue.add(object.cacheKey) }
            case .updated(_, let new): queue.add(new.cacheKey)
            case .deleted(let deleted): queue.add(deleted.object.cacheKey)
            }
        }
    }

    /// Syncs services until cancelled.
    public func run() async {
        await controller.run()
    }

    /// The keys of the services in the pod's namespace whose selector matches it.
    static func services(selecting pod: CoreV1.Pod, in services: TypedLister<CoreV1.Service>) -> [String] {
        let labels = pod.metadata?.labels ?? [:]
        return services.namespace(pod.namespace).list().filter { $0.selects(labels) }.map(\.cacheKey)
    }
}

/// One service's Endpoints brought in line with its pods.
struct EndpointsSync: Reconciler {
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    static let triggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time"
    static let headlessLabel = "service.kubernetes.io/headless"

    let services: TypedLister<CoreV1.Service>
    let pods: TypedLister<CoreV1.Pod>
    let endpoints: TypedLister<CoreV1.Endpoints>
    let client: ResourceClient<CoreV1.Endpoints>
    let recorder: EventRecorder

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        let (split, name) = ObjectKey.split(key)
        let namespace = split ?? ""
        guard let service = services.get(key: key) else {
            do {
                try await client.namespace(namespace).delete(name)
            } catch let error as APIError where error.isNotFound {}
            return .done
        }
        guard service.endpointsSelector != nil else { return .done }
        let includeUnready = service.publishesNotReadyAddresses
        let members = pods.namespace(namespace).list().filter {
            service.selects($0.metadata?.labels ?? [:]) && $0.shouldBeInEndpoints(includeTerminating: includeUnready)
        }
        let current = endpoints.get(key: key)
        guard let updated = Self.desiredEndpoints(of: service, pods: members, current: current) else { return .done }

        // Upstream reports failures on the Endpoints object.
        let reference = ObjectReference(apiVersion: "v1", kind: "Endpoints", namespace: namespace, name: name, uid: current?.metadata?.uid ?? "")
        if current == nil {
            do {
                _ = try await client.namespace(namespace).create(updated)
            } catch let error as APIError where error.isForbidden {
                // The namespace is being deleted: nothing to create.
                return .done
            } catch {
                await recorder.record(
                    reference, type: .warning, reason: "FailedToCreateEndpoint", message: "Failed to create endpoint for service \(key): \(error)")
                throw error
            }
        } else {
            do {
                _ = try await client.namespace(namespace).update(updated)
            } catch {
                await recorder.record(
                    reference, type: .warning, reason: "FailedToUpdateEndpoint", message: "Failed to update endpoint \(key): \(error)")
                throw error
            }
        }
        logger.debug("synced endpoints", metadata: ["subsets": "\(updated.subsets?.count ?? 0)"])
        return .done
    }

    /// The Endpoints the service should have over `pods` (those that belong in its endpoints),
    /// built on `current`; nil when `current` already has the right subsets, labels and
    /// capacity annotation (the trigger time alone does not warrant a write, as upstream).
    static func desiredEndpoints(of service: CoreV1.Service, pods: [CoreV1.Pod], current: CoreV1.Endpoints?) -> CoreV1.Endpoints? {
        var built = EndpointSubsets.build(service: service, pods: pods)
        let truncated = EndpointSubsets.truncate(&built)
        let subsets = built.map(\.model)
        var labels = service.metadata?.labels ?? [:]
        labels[headlessLabel] = service.hasClusterIP ? nil : ""
        if let current, (current.subsets ?? []) == subsets, (current.metadata?.labels ?? [:]) == labels,
            current.metadata?.annotations?[overCapacityAnnotation] == (truncated ? "truncated" : nil)
        {
            return nil
        }
        var updated = current ?? CoreV1.Endpoints(metadata: ObjectMeta(name: service.name, namespace: service.namespace))
        var metadata = updated.metadata ?? ObjectMeta()
        updated.subsets = subsets.isEmpty ? nil : subsets
        metadata.labels = labels.isEmpty ? nil : labels
        var annotations = metadata.annotations ?? [:]
        annotations[overCapacityAnnotation] = truncated ? "truncated" : nil
        annotations[triggerTimeAnnotation] = triggerTime(of: service, pods: pods)?.rfc3339
        metadata.annotations = annotations.isEmpty ? nil : annotations
        updated.metadata = metadata
        return updated
    }

    /// The latest change endpoints reflect: a pod's readiness or creation, or the service's creation.
    static func triggerTime(of service: CoreV1.Service, pods: [CoreV1.Pod]) -> Timestamp? {
        (pods.compactMap(\.endpointsTriggerTime) + [service.metadata?.creationTimestamp].compactMap { $0 }).max()
    }
}
