import SkiffAPI

extension RBACBindingStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Role", description: "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
         .age, TableColumn("Users", description: "Users in the roleBinding", priority: 1),
         TableColumn("Groups", description: "Groups in the roleBinding", priority: 1),
         TableColumn("ServiceAccounts", description: "ServiceAccounts in the roleBinding", priority: 1)]
    }

    /// ROLE is `Kind/name`; service accounts print as `namespace/name`.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let subjects = object.elements(at: "subjects")
        func names(_ kind: String) -> String {
            subjects.filter { $0.stringValue(at: "kind") == kind }.map { subject in
                kind == "ServiceAccount" ? subject.stringValue(at: "namespace") + "/" + subject.stringValue(at: "name") : subject.stringValue(at: "name")
            }.joined(separator: ", ")
        }
        return [.string(object.name ?? ""), .string(object.stringValue(at: "roleRef", "kind") + "/" + object.stringValue(at: "roleRef", "name")),
                .string(Age.since(object, now: now)), .string(names("User")), .string(names("Group")), .string(names("ServiceAccount"))]
    }
}
