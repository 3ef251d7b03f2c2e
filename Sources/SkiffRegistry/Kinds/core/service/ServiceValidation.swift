import SkiffAPI

/// Upstream's validation of a service (`ValidateService`, `ValidateServiceUpdate`): types,
/// ports, external names, session affinity, cluster IPs.
enum ServiceValidation {
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

    /// Every rule a service meets.
    static func validate(_ object: JSONValue) -> [FieldError] {
        let spec = object["spec"] ?? .emptyObject
        var errors: [FieldError] = []
        let type = spec.stringValue(at: "type")
        if !types.contains(type) { errors.append(.notSupported("spec.type", .string(type), supported: types)) }
        let headless = spec.stringValue(at: "clusterIP") == "None"
        let ports = spec.elements(at: "ports")
        if ports.isEmpty && type != "ExternalName" && !headless { errors.append(.required("spec.ports")) }
        var names = Set<String>()
        var seen = Set<JSONValue>()
        for (index, port) in ports.enumerated() {
            let path = "spec.ports[\(index)]"
            let name = port.stringValue(at: "name")
            if ports.count > 1 || !name.isEmpty { errors += FieldRules.dns1123Label(name, field: "\(path).name") }
            if !name.isEmpty && !names.insert(name).inserted { errors.append(.duplicate("\(path).name", .string(name))) }
            errors += PortValidation.portNumber(port["port"], field: "\(path).port", required: true)
            errors += FieldRules.supported(port["protocol"], field: "\(path).protocol", values: PortValidation.protocols)
            switch port["targetPort"] {
            case .string(let target)?:
                errors += PortValidation.portNameProblems(target).map { .invalid("\(path).targetPort", .string(target), $0) }
            case let target?:
                errors += PortValidation.portNumber(target, field: "\(path).targetPort", required: false)
            case nil: break
            }
            if type == "ClusterIP" && port.intValue(at: "nodePort") != 0 {
                errors.append(.forbidden("\(path).nodePort", "may not be used when `type` is 'ClusterIP'"))
            }
            let key: JSONValue = ["port": port["port"] ?? 0, "protocol": port["protocol"] ?? ""]
            if !seen.insert(key).inserted { errors.append(.duplicate(path, key)) }
        }
        if type == "ExternalName" {
            for field in ["clusterIPs", "ipFamilies", "ipFamilyPolicy"] where spec[field] != nil && spec[field] != .array([]) {
                errors.append(.forbidden("spec.\(field)", "may not be set for ExternalName services"))
            }
            var name = spec.stringValue(at: "externalName")
            if name.hasSuffix(".") { name.removeLast() }
            if name.isEmpty {
                errors.append(.required("spec.externalName"))
            } else {
                errors += NameValidation.dns1123Subdomain(name).map { .invalid("spec.externalName", .string(name), $0) }
            }
        }
        errors += FieldRules.supported(spec["sessionAffinity"], field: "spec.sessionAffinity", values: ["ClientIP", "None"])
        for (index, ip) in spec.elements(at: "clusterIPs").enumerated() {
            let text = ip.stringValue ?? ""
            if index == 0 && text == "None" { continue }
            if !IPv4.isIPAddress(text) {
                errors.append(.invalid("spec.clusterIPs[\(index)]", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
            }
        }
        return errors
    }

    /// The primary cluster IP never changes (unless the service is or becomes an ExternalName).
    static func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        let types = [object.stringValue(at: "spec", "type"), old.stringValue(at: "spec", "type")]
        let before = old.elements(at: "spec", "clusterIPs").first
        let after = object.elements(at: "spec", "clusterIPs").first
        guard !types.contains("ExternalName"), let before, before != after else { return [] }
        return [.invalid("spec.clusterIPs[0]", object[path: "spec", "clusterIPs"] ?? .array([]), "may not change once set")]
    }
}
