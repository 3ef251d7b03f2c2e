import Logging
import SkiffAPI
import SkiffClient

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

    private let controller: Controller<JSONValue>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let services = context.informers.informer(for: .services)
        let pods = context.informers.informer(for: .pods)
        let endpoints = context.informers.informer(for: .endpoints)
        let sync = EndpointsSync(
            services: services.lister, pods: pods.lister, endpoints: endpoints.lister,
            client: context.client.dynamic.resource(.endpoints), recorder: context.eventRecorder(component: Self.component))
        controller = Controller(
            configuration: .init(name: "endpoint", workers: configuration.workers), informer: services, key: ObjectKey.of,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "endpoint"))
        let serviceLister = services.lister
        controller.watch(pods) { pod in Self.services(selecting: pod, in: serviceLister) }
        // Changed and deleted Endpoints are synced back; new ones only from the first list
        // (upstream's leftover check at start), since Endpoints may be written before their service.
        let queue = controller.queue
        endpoints.addHandler { event in
            switch event {
            case .added(let object, let isInInitialList): if isInInitialList { queue.add(ObjectKey.of(object)) }
            case .updated(_, let new): queue.add(ObjectKey.of(new))
            case .deleted(let deleted): queue.add(ObjectKey.of(deleted.object))
            }
        }
    }

    /// Syncs services until cancelled.
    public func run() async {
        await controller.run()
    }

    /// The keys of the services in the pod's namespace whose selector matches it.
    static func services(selecting pod: JSONValue, in services: Lister) -> [String] {
        guard let namespace = pod.namespace else { return [] }
        let labels = pod.labels
        return services.namespace(namespace).list().filter { $0.serviceSelects(labels) }.map(ObjectKey.of)
    }
}

/// One service's Endpoints brought in line with its pods.
struct EndpointsSync: Reconciler {
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    static let triggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time"
    static let headlessLabel = "service.kubernetes.io/headless"

    let services: Lister
    let pods: Lister
    let endpoints: Lister
    let client: ResourceClient<JSONValue>
    let recorder: EventRecorder

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        let (split, name) = ObjectKey.split(key)
        let namespace = split ?? ""
        guard let service = services.get(key) else {
            do {
                try await client.namespace(namespace).delete(name)
            } catch let error as APIError where error.isNotFound {}
            return .done
        }
        guard service.serviceSelector != nil else { return .done }
        let includeUnready = service.publishesNotReadyAddresses
        let members = pods.namespace(namespace).list().filter {
            service.serviceSelects($0.labels) && $0.shouldBeInEndpoints(includeTerminating: includeUnready)
        }
        let current = endpoints.get(key)
        guard let updated = Self.desiredEndpoints(of: service, pods: members, current: current) else { return .done }

        // Upstream reports failures on the Endpoints object.
        let reference = ObjectReference(apiVersion: "v1", kind: "Endpoints", namespace: namespace, name: name, uid: current?.uid ?? "")
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
        logger.debug("synced endpoints", metadata: ["subsets": "\(updated["subsets"]?.arrayValue?.count ?? 0)"])
        return .done
    }

    /// The Endpoints the service should have over `pods` (those that belong in its endpoints),
    /// built on `current`; nil when `current` already has the right subsets, labels and
    /// capacity annotation (the trigger time alone does not warrant a write, as upstream).
    static func desiredEndpoints(of service: JSONValue, pods: [JSONValue], current: JSONValue?) -> JSONValue? {
        var subsets = EndpointSubsets.build(service: service, pods: pods)
        let truncated = EndpointSubsets.truncate(&subsets)
        let subsetsJSON: JSONValue? = subsets.isEmpty ? nil : .array(subsets.map(\.json))
        var labels = service.labels
        labels[headlessLabel] = hasClusterIP(service) ? nil : ""
        if let current, (current["subsets"] ?? .array([])) == (subsetsJSON ?? .array([])), current.labels == labels,
            current.annotations[overCapacityAnnotation] == (truncated ? "truncated" : nil)
        {
            return nil
        }
        var updated = current ?? [
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": ["name": .string(service.name ?? ""), "namespace": .string(service.namespace ?? "")],
        ]
        updated["subsets"] = subsetsJSON
        updated.labels = labels
        var annotations = updated.annotations
        annotations[overCapacityAnnotation] = truncated ? "truncated" : nil
        let triggerTime = (pods.compactMap(\.endpointsTriggerTime) + [service.creationTimestamp].compactMap { $0 }).max()
        annotations[triggerTimeAnnotation] = triggerTime?.rfc3339
        updated.annotations = annotations
        return updated
    }

    /// Upstream's `IsServiceIPSet`: a cluster IP other than `None`.
    static func hasClusterIP(_ service: JSONValue) -> Bool {
        let clusterIP = service[path: "spec", "clusterIP"]?.stringValue ?? ""
        return !clusterIP.isEmpty && clusterIP != "None"
    }
}
