import SkiffAPI

/// Jobs: defaults, the generated selector and labels that tie pods to the job (unless
/// `manualSelector`), and the STATUS/COMPLETIONS/DURATION columns.
struct JobStrategy: WorkloadStrategy {
    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = .emptyObject
        guard object[path: "spec", "manualSelector"]?.boolValue != true, let uid = object.uid else { return }
        let name = object.name ?? ""
        var labels = object[path: "spec", "template", "metadata", "labels"]?.objectValue ?? [:]
        labels["controller-uid"] = .string(uid)
        labels["batch.kubernetes.io/controller-uid"] = .string(uid)
        labels["job-name"] = .string(name)
        labels["batch.kubernetes.io/job-name"] = .string(name)
        object[path: "spec", "template", "metadata", "labels"] = .object(labels)
        object[path: "spec", "selector"] = ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]]
    }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        if spec["completions"] == nil && spec["parallelism"] == nil {
            spec["completions"] = 1
            spec["parallelism"] = 1
        }
        PodSpecDefaults.setIfMissing(&spec, "parallelism", 1)
        PodSpecDefaults.setIfMissing(&spec, "backoffLimit", 6)
        PodSpecDefaults.setIfMissing(&spec, "completionMode", "NonIndexed")
        PodSpecDefaults.setIfMissing(&spec, "suspend", false)
        PodSpecDefaults.setIfMissing(&spec, "podReplacementPolicy", "TerminatingOrFailed")
        object["spec"] = spec
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = WorkloadSupport.validateTemplate(object, selectorRequired: false)
        if let policy = object[path: "spec", "template", "spec", "restartPolicy"]?.stringValue, policy == "Always" {
            errors.append(.notSupported("spec.template.spec.restartPolicy", .string(policy), supported: ["OnFailure", "Never"]))
        }
        return errors
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status"), TableColumn("Completions"), TableColumn("Duration"), .age] + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let completions = object[path: "spec", "completions"]?.intValue
        let succeeded = WorkloadSupport.int(object, "status", "succeeded")
        let completionsText = completions.map { "\(succeeded)/\($0)" } ?? "\(succeeded)/1 of \(object[path: "spec", "parallelism"]?.intValue ?? 1)"
        let conditions = object[path: "status", "conditions"]?.arrayValue ?? []
        func has(_ type: String) -> Bool { conditions.contains { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" } }
        let status: String
        if has("Failed") { status = "Failed" }
        else if has("Complete") { status = "Complete" }
        else if has("Suspended") { status = "Suspended" }
        else if has("FailureTarget") { status = "FailureTarget" }
        else if has("SuccessCriteriaMet") { status = "SuccessCriteriaMet" }
        else { status = "Running" }
        var duration = ""
        if let start = object[path: "status", "startTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) {
            let end = object[path: "status", "completionTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) ?? now
            duration = Age.format(seconds: end.seconds - start.seconds)
        }
        return [.string(object.name ?? ""), .string(status), .string(completionsText), .string(duration), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(object)
    }
}
