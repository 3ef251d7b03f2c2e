import SkiffAPI

extension EndpointSliceStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = FieldRules.supported(object["addressType"], field: "addressType", values: ["FQDN", "IPv4", "IPv6"])
        for (index, endpoint) in object.elements(at: "endpoints").enumerated() where endpoint.elements(at: "addresses").isEmpty {
            errors.append(.required("endpoints[\(index)].addresses", "must contain at least 1 address"))
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["addressType"]])
    }
}
