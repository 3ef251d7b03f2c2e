import SkiffAPI

extension CSIStorageCapacityStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        let name = object.stringValue(at: "storageClassName")
        if name.isEmpty { return [.required("storageClassName")] }
        return NameValidation.dns1123Subdomain(name).map { .invalid("storageClassName", .string(name), $0) }
    }
}
