import SkiffAPI
import SkiffModels

/// Services as the endpoints controllers judge them.
extension CoreV1.Service {
    /// `spec.selector`; nil when it has none (its endpoints are managed by hand).
    var endpointsSelector: [String: String]? {
        guard let selector = spec?.selector, !selector.isEmpty else { return nil }
        return selector
    }

    /// Whether `labels` carries every pair of the service's selector.
    func selects(_ labels: [String: String]) -> Bool {
        guard let selector = endpointsSelector else { return false }
        return selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// A headless service (`clusterIP: None`).
    var isHeadless: Bool { spec?.clusterIP == "None" }

    /// Upstream's `IsServiceIPSet`: a cluster IP other than `None`.
    var hasClusterIP: Bool {
        let clusterIP = spec?.clusterIP ?? ""
        return !clusterIP.isEmpty && clusterIP != "None"
    }

    /// `spec.publishNotReadyAddresses`.
    var publishesNotReadyAddresses: Bool { spec?.publishNotReadyAddresses ?? false }
}

/// Pods as the endpoints controllers judge them (upstream's `endpointsliceutil` helpers).
extension CoreV1.Pod {
    /// The pod's first IPv4 address (`status.podIPs`, else `status.podIP`).
    var ipv4: String? {
        let candidates = (status?.podIPs ?? []).map(\.ip) + [status?.podIP].compactMap { $0 }
        return candidates.first { !$0.isEmpty && !$0.contains(":") }
    }

    /// Whether the pod belongs in a service's endpoints at all (upstream's
    /// `ShouldPodBeInEndpoints`): it has an IP, is not being deleted unless terminating pods
    /// count, and has not finished for good under its restart policy.
    func shouldBeInEndpoints(includeTerminating: Bool) -> Bool {
        guard ipv4 != nil else { return false }
        if !includeTerminating && isBeingDeleted { return false }
        switch spec?.restartPolicy {
        case "Never": return !isFinished
        case "OnFailure": return phase != "Succeeded"
        default: return true
        }
    }

    /// The container port a service port reaches on the pod (upstream's `FindPort`): a named
    /// target port is looked up among the containers' (and sidecars') ports of the same protocol.
    func containerPort(for servicePort: CoreV1.ServicePort) -> Int32? {
        switch servicePort.targetPort {
        case .int(let number): return Int32(number)
        case .string(let name):
            let serviceProtocol = servicePort.protocol ?? "TCP"
            let sidecars = (spec?.initContainers ?? []).filter { $0.restartPolicy == "Always" }
            for container in (spec?.containers ?? []) + sidecars {
                for port in container.ports ?? [] where port.name == name && (port.protocol ?? "TCP") == serviceProtocol {
                    return port.containerPort
                }
            }
            return nil
        case nil:
            return servicePort.port
        }
    }

    /// The hostname the pod has under the service: set when the pod names a hostname and the
    /// service as its subdomain (upstream's `ShouldSetHostname`).
    func hostname(under service: CoreV1.Service) -> String? {
        guard let hostname = spec?.hostname, !hostname.isEmpty, spec?.subdomain == service.name, namespace == service.namespace
        else { return nil }
        return hostname
    }

    /// A `targetRef` to the pod.
    var targetReference: CoreV1.ObjectReference {
        CoreV1.ObjectReference(kind: "Pod", name: name, namespace: namespace, uid: metadata?.uid ?? "")
    }

    /// When the pod last changed in a way endpoints reflect: its `Ready` condition's last
    /// transition, else its creation (upstream's trigger time for a pod).
    var endpointsTriggerTime: Timestamp? {
        readyCondition?.lastTransitionTime ?? metadata?.creationTimestamp
    }
}
