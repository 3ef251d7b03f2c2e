import SkiffAPI

extension ResourceStore {
    /// The admission attributes of a write of this resource.
    func admissionAttributes(_ operation: AdmissionAttributes.Operation, namespace: String?, name: String,
                             subresource: String?, object: JSONValue?, oldObject: JSONValue?, dryRun: Bool,
                             context: AdmissionContext) -> AdmissionAttributes {
        AdmissionAttributes(
            operation: operation, kind: GroupVersionKind(group: info.group, version: info.version, kind: info.kind),
            resource: info.groupVersionResource, subresource: subresource ?? "", namespace: info.namespaced ? namespace ?? "" : "",
            name: name, object: object, oldObject: oldObject, userInfo: context.userInfo, dryRun: dryRun,
            options: Self.admissionOptions(operation, dryRun: dryRun), warnings: context.warnings,
            auditAnnotations: context.auditAnnotations)
    }

    /// The options object plugins see (`CreateOptions`, `UpdateOptions`, `DeleteOptions`).
    private static func admissionOptions(_ operation: AdmissionAttributes.Operation, dryRun: Bool) -> JSONValue? {
        let kind: String
        switch operation {
        case .create: kind = "CreateOptions"
        case .update: kind = "UpdateOptions"
        case .delete: kind = "DeleteOptions"
        case .connect: return nil
        }
        var options: JSONValue = ["kind": .string(kind), "apiVersion": "meta.k8s.io/v1"]
        if dryRun { options["dryRun"] = ["All"] }
        return options
    }
}
