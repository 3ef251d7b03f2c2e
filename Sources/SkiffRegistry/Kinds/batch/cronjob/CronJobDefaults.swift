import SkiffAPI

extension CronJobStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("concurrencyPolicy", "Allow")
            spec.setDefault("suspend", false)
            spec.setDefault("successfulJobsHistoryLimit", 3)
            spec.setDefault("failedJobsHistoryLimit", 1)
            spec.setDefault("jobTemplate", .emptyObject)
            // The job template gets no job defaults (those are the Job's), only its pod template's.
            spec.editMember("jobTemplate") { jobTemplate in
                jobTemplate.setDefault("metadata", .emptyObject)
                jobTemplate.editMember("metadata") { if $0["creationTimestamp"] == nil { $0["creationTimestamp"] = .null } }
                PodTemplate.applyDefaults(inWorkload: &jobTemplate)
            }
        }
    }
}
