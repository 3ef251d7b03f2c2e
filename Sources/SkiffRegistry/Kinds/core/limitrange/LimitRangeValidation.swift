import SkiffAPI

extension LimitRangeStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, limit) in object.elements(at: "spec", "limits").enumerated() {
            errors += FieldRules.supported(limit["type"], field: "spec.limits[\(index)].type", values: Self.types)
            for (name, value) in (limit["min"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let min = ResourceQuantity(value), let max = ResourceQuantity(limit[path: "max", name]), min > max else { continue }
                errors.append(.invalid("spec.limits[\(index)].min[\(name)]", value,
                                       "min value \(value.stringValue ?? "") is greater than max value \(limit[path: "max", name]?.stringValue ?? "")"))
            }
        }
        return errors
    }
}
