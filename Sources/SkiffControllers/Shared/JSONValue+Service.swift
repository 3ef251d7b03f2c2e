import SkiffAPI

/// Services and pods as the endpoints controllers judge them.
extension JSONValue {
    /// `spec.selector` of a service; nil when it has none (its endpoints are managed by hand).
    var serviceSelector: [String: String]? {
        guard let selector = self[path: "spec", "selector"]?.objectValue, !selector.isEmpty else { return nil }
        return selector.compactMapValues(\.stringValue)
    }

    /// Whether `labels` carries every pair of the service's selector.
    func serviceSelects(_ labels: [String: String]) -> Bool {
        guard let selector = serviceSelector else { return false }
        return selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// A headless service (`clusterIP: None`).
    var isHeadlessService: Bool { self[path: "spec", "clusterIP"]?.stringValue == "None" }

    /// `spec.publishNotReadyAddresses`.
    var publishesNotReadyAddresses: Bool { self[path: "spec", "publishNotReadyAddresses"]?.boolValue ?? false }

    /// The pod's first IPv4 address (`status.podIPs`, else `status.podIP`).
    var podIPv4: String? {
        let listed = (self[path: "status", "podIPs"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
        let candidates = listed + [self[path: "status", "podIP"]?.stringValue].compactMap { $0 }
        return candidates.first { !$0.isEmpty && !$0.contains(":") }
    }

    /// Whether the pod belongs in a service's endpoints at all (upstream's
    /// `ShouldPodBeInEndpoints`): it has an IP, is not being deleted unless terminating pods
    /// count, and has not finished for good under its restart policy.
    func shouldBeInEndpoints(includeTerminating: Bool) -> Bool {
        guard podIPv4 != nil else { return false }
        if !includeTerminating && deletionTimestamp != nil { return false }
        switch self[path: "spec", "restartPolicy"]?.stringValue {
        case "Never": return podPhase != "Failed" && podPhase != "Succeeded"
        case "OnFailure": return podPhase != "Succeeded"
        default: return true
        }
    }

    /// The container port a service port reaches on the pod (upstream's `FindPort`): a named
    /// target port is looked up among the containers' (and sidecars') ports of the same protocol.
    func containerPort(for servicePort: JSONValue) -> Int64? {
        switch servicePort["targetPort"] {
        case .int(let number): return number
        case .string(let name):
            let serviceProtocol = servicePort["protocol"]?.stringValue ?? "TCP"
            let sidecars = (self[path: "spec", "initContainers"]?.arrayValue ?? []).filter { $0["restartPolicy"]?.stringValue == "Always" }
            let containers = (self[path: "spec", "containers"]?.arrayValue ?? []) + sidecars
            for container in containers {
                for port in container["ports"]?.arrayValue ?? [] where port["name"]?.stringValue == name
                    && (port["protocol"]?.stringValue ?? "TCP") == serviceProtocol {
                    return port["containerPort"]?.intValue
                }
            }
            return nil
        default:
            return servicePort["port"]?.intValue
        }
    }

    /// The hostname the pod has under the service: set when the pod names a hostname and the
    /// service as its subdomain (upstream's `ShouldSetHostname`).
    func hostname(under service: JSONValue) -> String? {
        guard let hostname = self[path: "spec", "hostname"]?.stringValue, !hostname.isEmpty,
            self[path: "spec", "subdomain"]?.stringValue == service.name, namespace == service.namespace
        else { return nil }
        return hostname
    }

    /// A `targetRef` to the pod.
    var podTargetReference: JSONValue {
        ["kind": "Pod", "namespace": .string(namespace ?? ""), "name": .string(name ?? ""), "uid": .string(uid ?? "")]
    }

    /// When the pod last changed in a way endpoints reflect: its `Ready` condition's last
    /// transition, else its creation (upstream's trigger time for a pod).
    var endpointsTriggerTime: Timestamp? {
        podReadyCondition?["lastTransitionTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) ?? creationTimestamp
    }
}
