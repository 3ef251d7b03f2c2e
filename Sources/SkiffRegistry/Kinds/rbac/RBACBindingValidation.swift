import SkiffAPI

extension RBACBindingStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        RBACValidation.validateRoleRef(object["roleRef"], namespaced: namespaced)
            + object.elements(at: "subjects").enumerated().flatMap { index, subject in
                RBACValidation.validateSubject(subject, path: "subjects[\(index)]", namespaced: namespaced)
            }
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        guard object["roleRef"] != old["roleRef"] else { return [] }
        return [.invalid("roleRef", object["roleRef"] ?? .null, "cannot change roleRef")]
    }
}
