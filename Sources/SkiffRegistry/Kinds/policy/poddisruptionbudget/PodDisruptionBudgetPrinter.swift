import SkiffAPI

extension PodDisruptionBudgetStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Min Available", description: "The minimum number of pods that must be available."),
         TableColumn("Max Unavailable", description: "The maximum number of pods that may be unavailable."),
         TableColumn("Allowed Disruptions", type: "integer", description: "Calculated number of pods that may be disrupted at this time."), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        func cell(_ field: String) -> JSONValue {
            guard let value = object[path: "spec", field], value != .null else { return "N/A" }
            return .string(value.intValue.map(String.init) ?? value.stringValue ?? "")
        }
        return [.string(object.name ?? ""), cell("minAvailable"), cell("maxUnavailable"),
                .int(object.intValue(at: "status", "disruptionsAllowed")), .string(Age.since(object, now: now))]
    }
}
