import SkiffAPI

extension CronJobStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.name ?? ""
        // The controller names jobs `<name>-<11 characters>`, and job names are at most 63.
        if name.utf8.count > 52 { errors.append(.invalid("metadata.name", .string(name), "must be no more than 52 characters")) }
        let spec = object["spec"] ?? .emptyObject
        let schedule = spec.stringValue(at: "schedule")
        if schedule.isEmpty {
            errors.append(.required("spec.schedule"))
        } else {
            if let problem = CronSchedule.problem(in: schedule) { errors.append(.invalid("spec.schedule", .string(schedule), problem)) }
            if schedule.contains("TZ") {
                errors.append(.invalid("spec.schedule", .string(schedule), "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
            }
        }
        if let zone = spec["timeZone"]?.stringValue {
            if zone.isEmpty {
                errors.append(.invalid("spec.timeZone", .string(zone), "timeZone must be nil or non-empty string"))
            } else if zone.lowercased() == "local" {
                errors.append(.invalid("spec.timeZone", .string(zone), "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
            }
        }
        errors += FieldRules.supported(spec["concurrencyPolicy"], field: "spec.concurrencyPolicy", values: ["Allow", "Forbid", "Replace"])
        errors += FieldRules.nonNegative(object, [["spec", "startingDeadlineSeconds"], ["spec", "successfulJobsHistoryLimit"], ["spec", "failedJobsHistoryLimit"]])
        let jobSpec = spec[path: "jobTemplate", "spec"]
        errors += JobSpecValidation.validate(jobSpec, path: "spec.jobTemplate.spec")
        if let selector = jobSpec?["selector"] {
            errors.append(.invalid("spec.jobTemplate.spec.selector", selector, "`selector` will be auto-generated"))
        }
        if let manual = jobSpec?["manualSelector"], manual.boolValue == true {
            errors.append(.notSupported("spec.jobTemplate.spec.manualSelector", manual, supported: ["nil", "false"]))
        }
        return errors
    }
}
