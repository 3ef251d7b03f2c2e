import SkiffAPI

extension ConfigMapStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        ConfigDataValidation.validateKeys(object, fields: ["data", "binaryData"])
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        ConfigDataValidation.validateImmutability(object, old: old, fields: ["data", "binaryData"])
    }
}
