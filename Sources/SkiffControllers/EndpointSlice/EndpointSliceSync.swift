import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One service's EndpointSlices brought in line with its pods.
struct EndpointSliceSync: Reconciler {
    /// Pods on nodes missing from the cache were left out; the sync is retried.
    struct MissingNodes: Error, CustomStringConvertible {
        var pods: [String]
        var description: String { "skipped pods on nodes not found: \(pods.joined(separator: ", "))" }
    }

    /// A slice port, hashable: slices are grouped by their ports.
    struct Port: Hashable, Sendable {
        var name: String
        var port: Int32
        var portProtocol: String
        var appProtocol: String?

        init(name: String, port: Int32, portProtocol: String, appProtocol: String?) {
            self.name = name
            self.port = port
            self.portProtocol = portProtocol
            self.appProtocol = appProtocol
        }

        init(_ model: DiscoveryV1.EndpointPort) {
            self.init(name: model.name ?? "", port: model.port ?? 0, portProtocol: model.protocol ?? "TCP", appProtocol: model.appProtocol)
        }

        var model: DiscoveryV1.EndpointPort {
            DiscoveryV1.EndpointPort(appProtocol: appProtocol, name: name, port: port, protocol: portProtocol)
        }
    }

    let services: TypedLister<CoreV1.Service>
    let pods: TypedLister<CoreV1.Pod>
    let slices: TypedLister<DiscoveryV1.EndpointSlice>
    let nodes: TypedLister<CoreV1.Node>
    let client: ResourceClient<DiscoveryV1.EndpointSlice>
    let maxEndpointsPerSlice: Int

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        // A deleted service's slices go with it: the garbage collector follows their owner reference.
        guard let service = services.get(key: key), service.endpointsSelector != nil, !service.isBeingDeleted,
            service.spec?.type != "ExternalName"
        else { return .done }
        let namespace = service.namespace
        let serviceName = service.name
        var skipped: [String] = []
        var desired: [[Port]: [DiscoveryV1.Endpoint]] = [:]
        let members = pods.namespace(namespace).list()
            .filter { service.selects($0.metadata?.labels ?? [:]) && $0.shouldBeInEndpoints(includeTerminating: true) }
            .sorted { ($0.ipv4 ?? "", $0.name) < ($1.ipv4 ?? "", $1.name) }
        for pod in members {
            let node = pod.spec?.nodeName.flatMap { nodes.get($0) }
            if node == nil && !service.publishesNotReadyAddresses {
                skipped.append(pod.name)
                continue
            }
            desired[Self.ports(of: service, on: pod), default: []].append(Self.endpoint(for: pod, of: service, node: node))
        }

        let labels = Self.labels(for: service)
        let owned = slices.namespace(namespace).list().filter {
            let sliceLabels = $0.metadata?.labels ?? [:]
            return sliceLabels[EndpointSliceController.serviceNameLabel] == serviceName
                && sliceLabels[EndpointSliceController.managedByLabel] == EndpointSliceController.managerName
                && $0.addressType == "IPv4"
        }
        var existingByPorts: [[Port]: [DiscoveryV1.EndpointSlice]] = [:]
        for slice in owned { existingByPorts[(slice.ports ?? []).map(Port.init), default: []].append(slice) }

        var creates: [(ports: [Port], endpoints: [DiscoveryV1.Endpoint])] = []
        var updates: [EndpointSlicePlan.Update] = []
        var deletes: [DiscoveryV1.EndpointSlice] = []
        for ports in Set(existingByPorts.keys).union(desired.keys) {
            let plan = EndpointSlicePlan.make(
                existing: existingByPorts[ports] ?? [], desired: desired[ports] ?? [], maxEndpointsPerSlice: maxEndpointsPerSlice,
                relabel: { ($0.metadata?.labels ?? [:]) != labels })
            creates += plan.creates.map { (ports: ports, endpoints: $0) }
            updates += plan.updates
            deletes += plan.deletes
        }
        // A service without endpoints keeps one empty placeholder slice.
        if creates.isEmpty && deletes.count == owned.count {
            if deletes.count == 1, Self.isPlaceholder(deletes[0], labels: labels) {
                deletes = []
            } else {
                creates.append((ports: [], endpoints: []))
            }
        }

        let triggerTime = EndpointsSync.triggerTime(of: service, pods: members)
        let objects = client.namespace(namespace)
        for (ports, endpoints) in creates {
            var slice = DiscoveryV1.EndpointSlice(
                addressType: "IPv4", endpoints: [],
                metadata: ObjectMeta(generateName: serviceName + "-", namespace: namespace, ownerReferences: [.controller(of: service)]))
            Self.fill(&slice, ports: ports, endpoints: endpoints, labels: labels, triggerTime: triggerTime)
            do {
                _ = try await objects.create(slice)
            } catch let error as APIError where error.isForbidden {
                // The namespace is being deleted.
                return .done
            }
        }
        for update in updates {
            var slice = update.slice
            Self.fill(&slice, ports: (slice.ports ?? []).map(Port.init), endpoints: update.endpoints, labels: labels, triggerTime: triggerTime)
            _ = try await objects.update(slice)
        }
        for slice in deletes {
            do {
                try await objects.delete(slice.name, options: DeleteOptions(preconditions: .init(uid: slice.metadata?.uid)))
            } catch let error as APIError where error.isNotFound {}
        }
        logger.debug(
            "synced endpoint slices", metadata: ["created": "\(creates.count)", "updated": "\(updates.count)", "deleted": "\(deletes.count)"])
        if !skipped.isEmpty { throw MissingNodes(pods: skipped) }
        return .done
    }

    private static func fill(
        _ slice: inout DiscoveryV1.EndpointSlice, ports: [Port], endpoints: [DiscoveryV1.Endpoint], labels: [String: String],
        triggerTime: Timestamp?
    ) {
        slice.ports = ports.isEmpty ? nil : ports.map(\.model)
        slice.endpoints = endpoints
        var metadata = slice.metadata ?? ObjectMeta()
        metadata.labels = labels
        var annotations = metadata.annotations ?? [:]
        annotations[EndpointsSync.triggerTimeAnnotation] = triggerTime?.rfc3339
        metadata.annotations = annotations.isEmpty ? nil : annotations
        slice.metadata = metadata
    }

    /// The service's labels (without the ones this controller owns), the service name, the
    /// manager and, for services without a cluster IP, the headless label.
    static func labels(for service: CoreV1.Service) -> [String: String] {
        var labels = service.metadata?.labels ?? [:]
        labels[EndpointsSync.headlessLabel] = service.hasClusterIP ? nil : ""
        labels[EndpointSliceController.serviceNameLabel] = service.name
        labels[EndpointSliceController.managedByLabel] = EndpointSliceController.managerName
        return labels
    }

    /// An empty slice without ports, labelled as it should be.
    private static func isPlaceholder(_ slice: DiscoveryV1.EndpointSlice, labels: [String: String]) -> Bool {
        slice.endpoints.isEmpty && (slice.ports ?? []).isEmpty && slice.metadata?.labels == labels
    }

    /// The slice ports of the service's ports that resolve on the pod, in the service's order.
    static func ports(of service: CoreV1.Service, on pod: CoreV1.Pod) -> [Port] {
        (service.spec?.ports ?? []).compactMap { servicePort in
            guard let number = pod.containerPort(for: servicePort) else { return nil }
            return Port(name: servicePort.name ?? "", port: number, portProtocol: servicePort.protocol ?? "TCP", appProtocol: servicePort.appProtocol)
        }
    }

    /// The pod as a slice endpoint (upstream's `podToEndpoint`): a terminating pod is never
    /// ready unless the service publishes not-ready addresses.
    static func endpoint(for pod: CoreV1.Pod, of service: CoreV1.Service, node: CoreV1.Node?) -> DiscoveryV1.Endpoint {
        let serving = service.publishesNotReadyAddresses || pod.isReady
        let terminating = pod.isBeingDeleted
        let ready = service.publishesNotReadyAddresses || (serving && !terminating)
        let nodeName = pod.spec?.nodeName ?? ""
        let zone = node?.metadata?.labels?["topology.kubernetes.io/zone"] ?? ""
        return DiscoveryV1.Endpoint(
            addresses: [pod.ipv4 ?? ""], conditions: DiscoveryV1.EndpointConditions(ready: ready, serving: serving, terminating: terminating),
            hostname: pod.hostname(under: service), nodeName: nodeName.isEmpty ? nil : nodeName, targetRef: pod.targetReference,
            zone: zone.isEmpty ? nil : zone)
    }
}
