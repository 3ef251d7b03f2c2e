import SkiffAPI

extension IngressStrategy {
    static let pathTypes = ["Exact", "ImplementationSpecific", "Prefix"]

    func validate(_ object: JSONValue) -> [FieldError] {
        let spec = object["spec"] ?? .emptyObject
        var errors: [FieldError] = []
        let rules = spec.elements(at: "rules")
        if rules.isEmpty && spec["defaultBackend"] == nil {
            errors.append(.invalid("spec", .array([]), "either `defaultBackend` or `rules` must be specified"))
        }
        if let backend = spec["defaultBackend"] { errors += Self.validateBackend(backend, path: "spec.defaultBackend") }
        for (index, rule) in rules.enumerated() {
            let host = rule.stringValue(at: "host")
            if !host.isEmpty {
                if IPv4.isIPAddress(host) {
                    errors.append(.invalid("spec.rules[\(index)].host", .string(host), "must be a DNS name, not an IP address"))
                } else {
                    let name = host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
                    errors += NameValidation.dns1123Subdomain(name).map { .invalid("spec.rules[\(index)].host", .string(host), $0) }
                }
            }
            for (pathIndex, path) in rule.elements(at: "http", "paths").enumerated() {
                errors += Self.validatePath(path, path: "spec.rules[\(index)].http.paths[\(pathIndex)]")
            }
        }
        return errors
    }

    private static func validatePath(_ path: JSONValue, path field: String) -> [FieldError] {
        var errors: [FieldError] = []
        let value = path.stringValue(at: "path")
        if path["pathType"] == nil {
            errors.append(.required("\(field).pathType", "pathType must be specified"))
        } else if !pathTypes.contains(path.stringValue(at: "pathType")) {
            errors.append(.notSupported("\(field).pathType", path["pathType"] ?? "", supported: pathTypes))
        }
        if path.stringValue(at: "pathType") != "ImplementationSpecific" || !value.isEmpty, !value.hasPrefix("/") {
            errors.append(.invalid("\(field).path", .string(value), "must be an absolute path"))
        }
        return errors + validateBackend(path["backend"] ?? .emptyObject, path: "\(field).backend")
    }

    /// A backend names a service with a port (by name or number) or a resource, not both.
    private static func validateBackend(_ backend: JSONValue, path: String) -> [FieldError] {
        let service = backend["service"]
        switch (service != nil, backend["resource"] != nil) {
        case (true, true): return [.invalid(path, backend, "cannot set both resource and service backends")]
        case (false, false): return [.invalid(path, backend, "resource or service backend is required")]
        case (false, true): return []
        case (true, false): break
        }
        var errors: [FieldError] = []
        let name = service?.stringValue(at: "name") ?? ""
        errors += FieldRules.dns1123Label(name, field: "\(path).service.name")
        let port = service?["port"] ?? .emptyObject
        switch (port["name"]?.stringValue.map { !$0.isEmpty } ?? false, port["number"] != nil) {
        case (true, true): errors.append(.invalid("\(path).service.port", port, "cannot set both port name & port number"))
        case (false, false): errors.append(.invalid("\(path).service.port", port, "port name or number is required"))
        case (false, true): errors += PortValidation.portNumber(port["number"], field: "\(path).service.port.number", required: true)
        case (true, false): break
        }
        return errors
    }
}
