import SkiffAPI

extension WebhookConfigurationStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        var names: Set<String> = []
        for (index, webhook) in object.elements(at: "webhooks").enumerated() {
            let path = "webhooks[\(index)]"
            let name = webhook.stringValue(at: "name")
            if name.isEmpty {
                errors.append(.required("\(path).name"))
            } else if !names.insert(name).inserted {
                errors.append(.duplicate("\(path).name", .string(name)))
            } else if name.split(separator: ".").count < 3 {
                errors.append(.invalid("\(path).name", .string(name), "should be a domain with at least three segments separated by dots"))
            }
            let config = webhook["clientConfig"] ?? .emptyObject
            if (config["url"] != nil) == (config["service"] != nil) {
                errors.append(.required("\(path).clientConfig", "exactly one of url or service is required"))
            }
            errors += FieldRules.supported(webhook["sideEffects"], field: "\(path).sideEffects", values: ["None", "NoneOnDryRun"])
            let versions = webhook.elements(at: "admissionReviewVersions")
            if !versions.contains(where: { ["v1", "v1beta1"].contains($0.stringValue ?? "") }) {
                errors.append(.required("\(path).admissionReviewVersions", "must specify one of v1, v1beta1"))
            }
            errors += FieldRules.supported(webhook["failurePolicy"], field: "\(path).failurePolicy", values: ["Fail", "Ignore"])
            if let timeout = webhook["timeoutSeconds"]?.intValue, !(1...30).contains(timeout) {
                errors.append(.invalid("\(path).timeoutSeconds", .int(timeout), "the timeout value must be between 1 and 30 seconds"))
            }
        }
        return errors
    }
}
