import SkiffAPI

extension CSINodeStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for (index, driver) in object.elements(at: "spec", "drivers").enumerated() {
            let name = driver.stringValue(at: "name")
            if name.isEmpty { errors.append(.required("spec.drivers[\(index)].name")) }
            if !seen.insert(name).inserted { errors.append(.duplicate("spec.drivers[\(index)].name", .string(name))) }
            if driver.stringValue(at: "nodeID").isEmpty { errors.append(.required("spec.drivers[\(index)].nodeID")) }
        }
        return errors
    }
}
