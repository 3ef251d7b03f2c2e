import SkiffAPI

extension APIServiceStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let version = object.stringValue(at: "spec", "version")
        let group = object.stringValue(at: "spec", "group")
        // The core group's is `v1.`, as upstream's `spec.version + "." + spec.group`.
        let expected = version + "." + group
        if let name = object.name, name != expected {
            errors.append(.invalid("metadata.name", .string(name), "must be `spec.version+\".\"+spec.group`: \"\(expected)\""))
        }
        if version.isEmpty { errors.append(.required("spec.version")) }
        let groupPriority = object.intValue(at: "spec", "groupPriorityMinimum")
        if !(1...20000).contains(groupPriority) {
            errors.append(.invalid("spec.groupPriorityMinimum", .int(groupPriority), "must be positive and less than 20000"))
        }
        let versionPriority = object.intValue(at: "spec", "versionPriority")
        if !(1...1000).contains(versionPriority) {
            errors.append(.invalid("spec.versionPriority", .int(versionPriority), "must be positive and less than 1000"))
        }
        if object[path: "spec", "service"] == nil || object[path: "spec", "service"] == .null {
            if !group.isEmpty, object[path: "spec", "caBundle"] != nil {
                errors.append(.invalid("spec.caBundle", object[path: "spec", "caBundle"] ?? .null, "local APIServices may not have a caBundle"))
            }
        } else if object[path: "spec", "insecureSkipTLSVerify"]?.boolValue == true, object[path: "spec", "caBundle"] != nil {
            errors.append(.invalid("spec.insecureSkipTLSVerify", true, "may not be true if caBundle is present"))
        }
        return errors
    }
}
