import SkiffAPI

/// Services: defaults, a cluster IP and node ports allocated on create (the IP immutable
/// afterwards), validation of ports and types, and kubectl's columns.
struct ServiceStrategy: ResourceStrategy {
    let allocator: ServiceAllocator

    var nameRule: NameValidation.Rule { .dns1035Label }
    var returnsDeletedObject: Bool { true }

    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

    /// `SetDefaults_Service`, and what upstream's service REST storage fills in on writes:
    /// `clusterIPs` from `clusterIP`, the IP families and their policy.
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("sessionAffinity", "None")
            if spec["sessionAffinity"] == "None" { spec["sessionAffinityConfig"] = nil }
            if spec["sessionAffinity"] == "ClientIP" && spec[path: "sessionAffinityConfig", "clientIP", "timeoutSeconds"] == nil {
                spec["sessionAffinityConfig"] = ["clientIP": ["timeoutSeconds": 10800]]
            }
            spec.setDefault("type", "ClusterIP")
            spec.editElements("ports") { port in
                port.setDefault("protocol", "TCP")
                if port["targetPort"] == nil || port["targetPort"] == 0 || port["targetPort"] == "" { port["targetPort"] = port["port"] ?? 0 }
            }
            let type = spec.stringValue(at: "type")
            let externallyAccessible = type == "LoadBalancer" || type == "NodePort"
                || (type == "ClusterIP" && !spec.elements(at: "externalIPs").isEmpty)
            if externallyAccessible { spec.setDefault("externalTrafficPolicy", "Cluster") }
            if ["ClusterIP", "NodePort", "LoadBalancer"].contains(type) { spec.setDefault("internalTrafficPolicy", "Cluster") }
            if type == "LoadBalancer" { spec.setDefault("allocateLoadBalancerNodePorts", true) }
            guard type != "ExternalName" else { return }
            let clusterIP = spec.stringValue(at: "clusterIP")
            if !clusterIP.isEmpty && spec.elements(at: "clusterIPs").isEmpty { spec["clusterIPs"] = [.string(clusterIP)] }
            if clusterIP == "None" && spec.stringMap(at: "selector").isEmpty {
                // Headless services without a selector serve every family the cluster has.
                spec.setDefault("ipFamilyPolicy", "RequireDualStack")
                spec.setDefault("ipFamilies", ["IPv4"])
                if spec["ipFamilyPolicy"] != "SingleStack", spec.elements(at: "ipFamilies").count < 2 {
                    spec["ipFamilies"] = .array(spec.elements(at: "ipFamilies") + [spec.elements(at: "ipFamilies").first == "IPv6" ? "IPv4" : "IPv6"])
                }
            } else {
                spec.setDefault("ipFamilyPolicy", "SingleStack")
                spec.setDefault("ipFamilies", ["IPv4"])
            }
        }
        let loadBalancer = object.stringValue(at: "spec", "type") == "LoadBalancer"
        object.setDefault("status", .emptyObject)
        object.editMember("status") { status in
            status.setDefault("loadBalancer", .emptyObject)
            guard loadBalancer else { return }
            status.editMember("loadBalancer") { balancer in
                balancer.editElements("ingress") { ingress in
                    if !ingress.stringValue(at: "ip").isEmpty { ingress.setDefault("ipMode", "VIP") }
                }
            }
        }
    }

    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["loadBalancer": .emptyObject]
    }

    /// Keeps the status and what was allocated when the update leaves it out, and drops what
    /// the new type no longer uses (when the update did not change it), as upstream.
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
        let oldType = old.stringValue(at: "spec", "type")
        let newType = object.stringValue(at: "spec", "type").isEmpty ? "ClusterIP" : object.stringValue(at: "spec", "type")
        if oldType != "ExternalName" && newType != "ExternalName" {
            if object.stringValue(at: "spec", "clusterIP").isEmpty { object[path: "spec", "clusterIP"] = old[path: "spec", "clusterIP"] }
            if object.elements(at: "spec", "clusterIPs").isEmpty { object[path: "spec", "clusterIPs"] = old[path: "spec", "clusterIPs"] }
            // A client that changed only `clusterIP` meant the plural too.
            let clusterIP = object[path: "spec", "clusterIP"] ?? ""
            if clusterIP != old[path: "spec", "clusterIP"], object[path: "spec", "clusterIPs"] == old[path: "spec", "clusterIPs"],
               var clusterIPs = object[path: "spec", "clusterIPs"]?.arrayValue, !clusterIPs.isEmpty {
                clusterIPs[0] = clusterIP
                object[path: "spec", "clusterIPs"] = .array(clusterIPs)
            }
        }
        guard oldType != newType else { return }
        if newType == "ExternalName" {
            for field in ["clusterIP", "clusterIPs", "ipFamilyPolicy", "ipFamilies"] where object[path: "spec", field] == old[path: "spec", field] {
                object[path: "spec", field] = nil
            }
        }
        let sameNodePorts = object.elements(at: "spec", "ports").map { $0["nodePort"] } == old.elements(at: "spec", "ports").map { $0["nodePort"] }
        if !ServiceAllocator.needsNodePorts(object["spec"]) && sameNodePorts {
            object.editMember("spec") { $0.editElements("ports") { $0["nodePort"] = nil } }
        }
        if newType != "LoadBalancer" { object["status"] = ["loadBalancer": .emptyObject] }
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        let spec = object["spec"] ?? .emptyObject
        var errors: [FieldError] = []
        let type = spec.stringValue(at: "type")
        if !Self.types.contains(type) { errors.append(.notSupported("spec.type", .string(type), supported: Self.types)) }
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
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        let types = [object.stringValue(at: "spec", "type"), old.stringValue(at: "spec", "type")]
        let before = old.elements(at: "spec", "clusterIPs").first
        let after = object.elements(at: "spec", "clusterIPs").first
        guard !types.contains("ExternalName"), let before, before != after else { return [] }
        return [.invalid("spec.clusterIPs[0]", object[path: "spec", "clusterIPs"] ?? .array([]), "may not change once set")]
    }

    func beforeCreate(_ object: inout JSONValue, context: StrategyContext) async throws(APIError) {
        try await allocator.allocate(&object, dryRun: context.dryRun)
    }

    func afterDelete(_ object: JSONValue, context: StrategyContext) async {
        await allocator.release(object)
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Type"), TableColumn("Cluster-IP"), TableColumn("External-IP"), TableColumn("Port(s)"), .age, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let spec = object["spec"] ?? .emptyObject
        let ports = spec.elements(at: "ports").map { port -> String in
            let nodePort = port.intValue(at: "nodePort")
            let prefix = nodePort > 0 ? "\(port.intValue(at: "port")):\(nodePort)" : "\(port.intValue(at: "port"))"
            return prefix + "/" + port.stringValue(at: "protocol")
        }
        return [
            .string(object.name ?? ""), .string(spec.stringValue(at: "type")),
            .string(spec.elements(at: "clusterIPs").first?.stringValue ?? "<none>"), .string(externalIP(object)),
            .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), .string(Age.since(object, now: now)),
            .string(TableFormat.labels(spec.stringMap(at: "selector"))),
        ]
    }

    /// The EXTERNAL-IP cell, by type: external IPs, load balancer ingress, or the external name.
    private func externalIP(_ object: JSONValue) -> String {
        let external = object.elements(at: "spec", "externalIPs").compactMap(\.stringValue)
        switch object.stringValue(at: "spec", "type") {
        case "ClusterIP", "NodePort":
            return external.isEmpty ? "<none>" : external.joined(separator: ",")
        case "LoadBalancer":
            var ingress: [String] = []
            for entry in object.elements(at: "status", "loadBalancer", "ingress") {
                let address = entry.stringValue(at: "ip").isEmpty ? entry.stringValue(at: "hostname") : entry.stringValue(at: "ip")
                if !address.isEmpty && !ingress.contains(address) { ingress.append(address) }
            }
            let all = ingress + external
            return all.isEmpty ? "<pending>" : all.joined(separator: ",")
        case "ExternalName":
            return object.stringValue(at: "spec", "externalName")
        default:
            return "<unknown>"
        }
    }
}
