import SkiffAPI

extension IngressClassStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        let controller = object.stringValue(at: "spec", "controller")
        if controller.isEmpty { return [.required("spec.controller")] }
        if controller.utf8.count > 250 { return [FieldError(.fieldValueTooLong, field: "spec.controller", value: .string(controller), detail: "may not be more than 250 bytes")] }
        return []
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "controller"]])
    }
}
