import SkiffAPI

extension RuntimeClassStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        FieldRules.dns1123Label(object.stringValue(at: "handler"), field: "handler")
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["handler"]])
    }
}
