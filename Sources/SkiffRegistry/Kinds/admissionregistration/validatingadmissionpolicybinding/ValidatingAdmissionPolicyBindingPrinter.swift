import SkiffAPI

extension ValidatingAdmissionPolicyBindingStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("PolicyName", description: "PolicyName indicates the policy definition which the policy binding binded to"),
         TableColumn("ParamRef", description: "ParamRef indicates the param resource which sets the configration param"), .age]
    }

    /// PARAMREF is `namespace/name` (`*/name` without a namespace), the selector, or `<unset>`.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        var parameters = "<unset>"
        if let reference = object[path: "spec", "paramRef"], reference != .null {
            let name = reference.stringValue(at: "name")
            if !name.isEmpty {
                let namespace = reference.stringValue(at: "namespace")
                parameters = (namespace.isEmpty ? "*" : namespace) + "/" + name
            } else if let selector = reference["selector"] {
                parameters = TableFormat.labelSelector(selector)
            }
        }
        return [.string(object.name ?? ""), .string(object.stringValue(at: "spec", "policyName")), .string(parameters),
                .string(Age.since(object, now: now))]
    }
}
