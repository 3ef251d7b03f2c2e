import SkiffAPI

extension ResourceQuotaStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for (name, value) in (object[path: "spec", "hard"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let quantity = ResourceQuantity(value), let zero = ResourceQuantity(.int(0)) else { continue }
            if quantity < zero {
                errors.append(.invalid("spec.hard[\(name)]", value, "must be greater than or equal to 0"))
            }
        }
        let scopes = ["BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating"]
        for (index, scope) in object.elements(at: "spec", "scopes").enumerated() where !scopes.contains(scope.stringValue ?? "") {
            errors.append(.invalid("spec.scopes[\(index)]", scope, "unsupported scope"))
        }
        return errors
    }
}
