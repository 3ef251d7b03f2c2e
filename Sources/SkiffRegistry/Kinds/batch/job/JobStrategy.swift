import SkiffAPI

/// Jobs (batch/v1): defaults, the generated selector and labels that tie pods to the job
/// (unless `manualSelector`), a mostly immutable spec, and the STATUS/COMPLETIONS/DURATION
/// columns.
struct JobStrategy: WorkloadStrategy {
    var selectableFields: [String] { ["status.successful"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["status.successful": String(object.intValue(at: "status", "succeeded"))]
    }

    /// Resets the status and, unless the selector is manual, labels the template with the
    /// job's name and UID and selects on the UID (keeping what the user already set).
    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = initialStatus
        guard object[path: "spec", "manualSelector"]?.boolValue != true else { return }
        let name = JSONValue.string(object.name ?? "")
        let uid = JSONValue.string(object.uid ?? "")
        var labels = object[path: "spec", "template", "metadata", "labels"]?.objectValue ?? [:]
        for (key, value) in [("job-name", name), ("batch.kubernetes.io/job-name", name),
                             ("controller-uid", uid), ("batch.kubernetes.io/controller-uid", uid)] where labels[key] == nil {
            labels[key] = value
        }
        object[path: "spec", "template", "metadata", "labels"] = .object(labels)
        var matchLabels = object[path: "spec", "selector", "matchLabels"]?.objectValue ?? [:]
        matchLabels["batch.kubernetes.io/controller-uid"] = matchLabels["batch.kubernetes.io/controller-uid"] ?? uid
        object[path: "spec", "selector", "matchLabels"] = .object(matchLabels)
    }
}
