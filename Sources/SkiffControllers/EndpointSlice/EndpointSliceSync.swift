import Logging
import SkiffAPI
import SkiffClient

/// One service's EndpointSlices brought in line with its pods.
struct EndpointSliceSync: Reconciler {
    /// Pods on nodes missing from the cache were left out; the sync is retried.
    struct MissingNodes: Error, CustomStringConvertible {
        var pods: [String]
        var description: String { "skipped pods on nodes not found: \(pods.joined(separator: ", "))" }
    }

    let services: Lister
    let pods: Lister
    let slices: Lister
    let nodes: Lister
    let client: ResourceClient<JSONValue>
    let maxEndpointsPerSlice: Int

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        // A deleted service's slices go with it: the garbage collector follows their owner reference.
        guard let service = services.get(key), service.serviceSelector != nil, service.deletionTimestamp == nil,
            service[path: "spec", "type"]?.stringValue != "ExternalName"
        else { return .done }
        let namespace = service.namespace ?? ""
        let serviceName = service.name ?? ""
        var skipped: [String] = []
        var desired: [JSONValue: [JSONValue]] = [:]
        let members = pods.namespace(namespace).list()
            .filter { service.serviceSelects($0.labels) && $0.shouldBeInEndpoints(includeTerminating: true) }
            .sorted { ($0.podIPv4 ?? "", $0.name ?? "") < ($1.podIPv4 ?? "", $1.name ?? "") }
        for pod in members {
            let node = pod[path: "spec", "nodeName"]?.stringValue.flatMap { nodes.get($0) }
            if node == nil && !service.publishesNotReadyAddresses {
                skipped.append(pod.name ?? "")
                continue
            }
            desired[Self.ports(of: service, on: pod), default: []].append(Self.endpoint(for: pod, of: service, node: node))
        }

        let labels = Self.labels(for: service)
        let owned = slices.namespace(namespace).list().filter {
            $0.labels[EndpointSliceController.serviceNameLabel] == serviceName
                && $0.labels[EndpointSliceController.managedByLabel] == EndpointSliceController.managerName
                && $0["addressType"]?.stringValue == "IPv4"
        }
        var existingByPorts: [JSONValue: [JSONValue]] = [:]
        for slice in owned { existingByPorts[slice["ports"] ?? .array([]), default: []].append(slice) }

        var creates: [(ports: JSONValue, endpoints: [JSONValue])] = []
        var updates: [EndpointSlicePlan.Update] = []
        var deletes: [JSONValue] = []
        for ports in Set(existingByPorts.keys).union(desired.keys) {
            let plan = EndpointSlicePlan.make(
                existing: existingByPorts[ports] ?? [], desired: desired[ports] ?? [], maxEndpointsPerSlice: maxEndpointsPerSlice,
                relabel: { $0.labels != labels })
            creates += plan.creates.map { (ports: ports, endpoints: $0) }
            updates += plan.updates
            deletes += plan.deletes
        }
        // A service without endpoints keeps one empty placeholder slice.
        if creates.isEmpty && deletes.count == owned.count {
            if deletes.count == 1, Self.isPlaceholder(deletes[0], labels: labels) {
                deletes = []
            } else {
                creates.append((ports: .array([]), endpoints: []))
            }
        }

        let triggerTime = (members.compactMap(\.endpointsTriggerTime) + [service.creationTimestamp].compactMap { $0 }).max()
        let objects = client.namespace(namespace)
        for (ports, endpoints) in creates {
            var slice: JSONValue = [
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": [
                    "generateName": .string(serviceName + "-"), "namespace": .string(namespace),
                    "ownerReferences": [Self.ownerReference(to: service)],
                ],
                "addressType": "IPv4",
            ]
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
            let ports = slice["ports"] ?? .array([])
            Self.fill(&slice, ports: ports, endpoints: update.endpoints, labels: labels, triggerTime: triggerTime)
            _ = try await objects.update(slice)
        }
        for slice in deletes {
            do {
                try await objects.delete(slice.name ?? "", options: DeleteOptions(preconditions: .init(uid: slice.uid)))
            } catch let error as APIError where error.isNotFound {}
        }
        logger.debug(
            "synced endpoint slices", metadata: ["created": "\(creates.count)", "updated": "\(updates.count)", "deleted": "\(deletes.count)"])
        if !skipped.isEmpty { throw MissingNodes(pods: skipped) }
        return .done
    }

    private static func fill(_ slice: inout JSONValue, ports: JSONValue, endpoints: [JSONValue], labels: [String: String], triggerTime: Timestamp?) {
        slice["ports"] = ports.arrayValue?.isEmpty == false ? ports : nil
        slice["endpoints"] = .array(endpoints)
        slice.labels = labels
        var annotations = slice.annotations
        annotations[EndpointsSync.triggerTimeAnnotation] = triggerTime?.rfc3339
        slice.annotations = annotations
    }

    /// The service's labels (without the ones this controller owns), the service name, the
    /// manager and, for services without a cluster IP, the headless label.
    static func labels(for service: JSONValue) -> [String: String] {
        var labels = service.labels
        labels[EndpointsSync.headlessLabel] = EndpointsSync.hasClusterIP(service) ? nil : ""
        labels[EndpointSliceController.serviceNameLabel] = service.name ?? ""
        labels[EndpointSliceController.managedByLabel] = EndpointSliceController.managerName
        return labels
    }

    /// An empty slice without ports, labelled as it should be.
    private static func isPlaceholder(_ slice: JSONValue, labels: [String: String]) -> Bool {
        (slice["endpoints"]?.arrayValue ?? []).isEmpty && (slice["ports"]?.arrayValue ?? []).isEmpty && slice.labels == labels
    }

    /// The slice ports of the service's ports that resolve on the pod, in the service's order.
    static func ports(of service: JSONValue, on pod: JSONValue) -> JSONValue {
        let ports = (service[path: "spec", "ports"]?.arrayValue ?? []).compactMap { servicePort -> JSONValue? in
            guard let number = pod.containerPort(for: servicePort) else { return nil }
            var port: JSONValue = [
                "name": .string(servicePort["name"]?.stringValue ?? ""), "port": .int(number),
                "protocol": .string(servicePort["protocol"]?.stringValue ?? "TCP"),
            ]
            if let appProtocol = servicePort["appProtocol"] { port["appProtocol"] = appProtocol }
            return port
        }
        return .array(ports)
    }

    /// The pod as a slice endpoint (upstream's `podToEndpoint`): a terminating pod is never
    /// ready unless the service publishes not-ready addresses.
    static func endpoint(for pod: JSONValue, of service: JSONValue, node: JSONValue?) -> JSONValue {
        let serving = service.publishesNotReadyAddresses || pod.isPodReady
        let terminating = pod.deletionTimestamp != nil
        let ready = service.publishesNotReadyAddresses || (serving && !terminating)
        var endpoint: JSONValue = [
            "addresses": [.string(pod.podIPv4 ?? "")],
            "conditions": ["ready": .bool(ready), "serving": .bool(serving), "terminating": .bool(terminating)],
            "targetRef": pod.podTargetReference,
        ]
        if let nodeName = pod[path: "spec", "nodeName"]?.stringValue, !nodeName.isEmpty { endpoint["nodeName"] = .string(nodeName) }
        if let zone = node?.labels["topology.kubernetes.io/zone"], !zone.isEmpty { endpoint["zone"] = .string(zone) }
        if let hostname = pod.hostname(under: service) { endpoint["hostname"] = .string(hostname) }
        return endpoint
    }

    static func ownerReference(to service: JSONValue) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Service", "name": .string(service.name ?? ""), "uid": .string(service.uid ?? ""),
            "controller": true, "blockOwnerDeletion": true,
        ]
    }
}
