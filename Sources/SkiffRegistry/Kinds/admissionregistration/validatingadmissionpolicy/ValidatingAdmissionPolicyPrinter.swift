import SkiffAPI

extension ValidatingAdmissionPolicyStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Validations", type: "integer", description: "Validations indicates the number of validation rules defined in this configuration"),
         TableColumn("ParamKind", description: "ParamKind specifies the kind of resources used to parameterize this policy"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let kind = object[path: "spec", "paramKind"].map { $0.stringValue(at: "apiVersion") + "/" + $0.stringValue(at: "kind") } ?? "<unset>"
        return [.string(object.name ?? ""), .int(Int64(object.elements(at: "spec", "validations").count)), .string(kind),
                .string(Age.since(object, now: now))]
    }
}
