import SkiffAPI
import SkiffRegistry

/// `pods/binding`: assigns a pod to a node, once (the scheduler's write).
struct BindingHandler: Sendable {
    let store: ResourceStore

    func bind(namespace: String?, name: String, binding: JSONValue, options: WriteOptions) async throws {
        guard let node = binding[path: "target", "name"]?.stringValue, !node.isEmpty else {
            throw APIError.invalid(kind: GroupKind(group: "", kind: "Binding"), name: name, errors: [.required("target.name")])
        }
        if let bindingName = binding.name, !bindingName.isEmpty, bindingName != name {
            throw APIError.badRequest("the name of the object (\(bindingName)) does not match the name on the URL (\(name))")
        }
        let expectedUID = binding.uid
        _ = try await store.guaranteedUpdate(namespace: namespace, name: name, precondition: nil, options: options, subresource: "binding") { pod in
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
            var bound = pod
            bound[path: "spec", "nodeName"] = .string(node)
            var conditions = bound[path: "status", "conditions"]?.arrayValue ?? []
            conditions.removeAll { $0["type"]?.stringValue == "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": nil,
                               "lastTransitionTime": .string(Timestamp.now().rfc3339)])
            bound[path: "status", "conditions"] = .array(conditions)
            return bound
        }
    }
}
