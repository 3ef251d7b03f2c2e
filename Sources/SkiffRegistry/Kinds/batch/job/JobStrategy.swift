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

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            if spec["completions"] == nil && spec["parallelism"] == nil {
                spec["completions"] = 1
                spec["parallelism"] = 1
            }
            spec.setDefault("parallelism", 1)
            let perIndex = spec["backoffLimitPerIndex"] != nil
            spec.setDefault("backoffLimit", perIndex ? .int(Int64(Int32.max)) : 6)
            spec.setDefault("completionMode", "NonIndexed")
            spec.setDefault("suspend", false)
            spec.editMember("podFailurePolicy") { policy in
                policy.editElements("rules") { $0.editElements("onPodConditions") { $0.setDefault("status", "True") } }
            }
            let failurePolicy = spec["podFailurePolicy"] != nil
            spec.setDefault("podReplacementPolicy", failurePolicy ? "Failed" : "TerminatingOrFailed")
            spec.setDefault("manualSelector", false)
        }
        // A job without labels takes its template's (which carry the generated ones).
        if object.labels.isEmpty, let labels = object[path: "spec", "template", "metadata", "labels"] {
            object[path: "metadata", "labels"] = labels
        }
        PodTemplate.applyDefaults(inWorkload: &object)
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        WorkloadValidation.validateSelector(object, rule: .init(kindName: nil)) + JobSpecValidation.validate(object["spec"], path: "spec")
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        var errors = FieldRules.immutable(object, old: old, [
            ["spec", "completions"], ["spec", "selector"], ["spec", "completionMode"], ["spec", "podFailurePolicy"],
            ["spec", "backoffLimitPerIndex"], ["spec", "managedBy"], ["spec", "successPolicy"],
        ])
        // A suspended job that never started may change where its pods run.
        let schedulingMutable = old[path: "spec", "suspend"]?.boolValue == true && old[path: "status", "startTime"] == nil
        func comparable(_ template: JSONValue?) -> JSONValue? {
            guard schedulingMutable, var template else { return template }
            template[path: "metadata", "labels"] = nil
            template[path: "metadata", "annotations"] = nil
            for field in ["nodeSelector", "tolerations", "schedulingGates"] { template[path: "spec", field] = nil }
            template[path: "spec", "affinity", "nodeAffinity"] = nil
            if template[path: "spec", "affinity"] == .emptyObject { template[path: "spec", "affinity"] = nil }
            return template
        }
        if comparable(object[path: "spec", "template"]) != comparable(old[path: "spec", "template"]) {
            errors.append(.invalid("spec.template", object[path: "spec", "template"] ?? .null, "field is immutable"))
        }
        return errors
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status", description: "Status of the job."), TableColumn("Completions"),
         TableColumn("Duration", description: "Time required to complete the job."), .age, .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let succeeded = object.intValue(at: "status", "succeeded")
        let completions: String
        if let desired = object[path: "spec", "completions"]?.intValue {
            completions = "\(succeeded)/\(desired)"
        } else if let parallelism = object[path: "spec", "parallelism"]?.intValue, parallelism > 1 {
            completions = "\(succeeded)/1 of \(parallelism)"
        } else {
            completions = "\(succeeded)/1"
        }
        var duration = ""
        if let start = Timestamp(rfc3339: object.stringValue(at: "status", "startTime")) {
            let end = Timestamp(rfc3339: object.stringValue(at: "status", "completionTime")) ?? now
            duration = Age.format(seconds: end.seconds - start.seconds)
        }
        return [.string(object.name ?? ""), .string(status(of: object)), .string(completions), .string(duration), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"])
            + [.string(TableFormat.labelSelector(object[path: "spec", "selector"]))]
    }

    /// The STATUS cell: the first matching of Complete, Failed, Terminating, Suspended,
    /// FailureTarget, SuccessCriteriaMet, else Running.
    private func status(of object: JSONValue) -> String {
        let conditions = object.elements(at: "status", "conditions")
        func holds(_ type: String) -> Bool {
            conditions.first { $0["type"]?.stringValue == type }?["status"] == "True"
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if object.deletionTimestamp != nil { return "Terminating" }
        return ["Suspended", "FailureTarget", "SuccessCriteriaMet"].first(where: holds) ?? "Running"
    }
}
