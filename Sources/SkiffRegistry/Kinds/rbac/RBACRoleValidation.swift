import SkiffAPI

extension RBACRoleStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        object.elements(at: "rules").enumerated().flatMap { index, rule in
            RBACValidation.validateRule(rule, path: "rules[\(index)]", namespaced: namespaced)
        }
    }
}
