import SkiffAPI

/// Which container of a pod a `pods/log`, `pods/exec` or `pods/attach` request means: the one
/// named by `container=`, else the pod's only container.
enum PodContainerChoice {
    /// The container's name, or upstream's `400 BadRequest` when it is unknown or ambiguous.
    static func container(of pod: JSONValue, podName: String, requested: String?) throws -> String {
        let names = (pod[path: "spec", "containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let initNames = (pod[path: "spec", "initContainers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        if let requested, !requested.isEmpty {
            guard (names + initNames).contains(requested) else { throw APIError.badRequest("container \(requested) is not valid for pod \(podName)") }
            return requested
        }
        guard names.count == 1 else {
            throw APIError.badRequest("a container name must be specified for pod \(podName), choose one of: [\(names.joined(separator: " "))]")
        }
        return names[0]
    }
}
