import SkiffAPI
import SkiffRegistry

/// `pods/binding`: assigns a pod to a node, once (the scheduler's write).
struct BindingHandler: Sendable {
    let store: ResourceStore
    let admission: AdmissionContext

    func bind(namespace: String?, name: String, binding: JSONValue, options: WriteOptions) async throws {
        guard let node = binding[path: "target", "name"]?.stringValue, !node.isEmpty else {
            throw APIError.invalid(kind: GroupKind(group: "", kind: "Binding"), name: name, errors: [.required("target.name")])
        }
        if let bindingName = binding.name, !bindingName.isEmpty, bindingName != name {
            throw APIError.badRequest("the name of the object (\(bindingName)) does not match the name on the URL (\(name))")
        }
        let expectedUID = binding.uid
        _ = try await store.guaranteedUpdate(namespace: namespace, name: name, precondition: nil, options: options, subresource: "binding",
                                           admission: admission) { pod in
            if let expectedUID, !expectedUID.isEmpty, expectedUID != pod.uid {
                throw APIError.conflict(GroupResource(group: "", resource: "pods"), name: name,
                    message: "Precondition failed: UID in precondition: \(expectedUID), UID in object meta: \(pod.uid ?? "")")
            }
            if pod.deletionTimestamp != nil {
                throw APIError.conflict(GroupResource(group: "", resource: "pods"), name: name, message: "pod \(name) is being deleted, cannot be assigned to a host")
            }
            if let current = pod[path: "spec", "nodeName"]?.stringValue, !current.isEmpty {
                throw APIError.conflict(GroupResource(group: "", resource: "pods"), name: name,
                    message: "pod \(name) is already assigned to node \"\(current)\"")
            }
            if let gates = pod[path: "spec", "schedulingGates"]?.arrayValue, !gates.isEmpty {
                throw APIError.conflict(GroupResource(group: "", resource: "pods"), name: name, message: "pod \(name) has non-empty .spec.schedulingGates")
            }
            var bound = pod
            bound[path: "spec", "nodeName"] = .string(node)
            // The binding's annotations are copied onto the pod, as upstream does.
            for (key, value) in binding.annotations { bound[path: "metadata", "annotations", key] = .string(value) }
            bound[path: "status", "conditions"] = .array(Self.scheduledConditions(pod[path: "status", "conditions"]?.arrayValue ?? []))
            return bound
        }
    }

    /// The conditions with `PodScheduled=True` (upstream's `UpdatePodCondition`).
    static func scheduledConditions(_ conditions: [JSONValue]) -> [JSONValue] {
        StatusConditions.updating(conditions, with: ["type": "PodScheduled", "status": "True", "lastProbeTime": nil])
    }
}
