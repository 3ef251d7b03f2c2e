import SkiffAPI

/// Services: defaults, a cluster IP allocated on create and immutable afterwards, and kubectl's
/// columns.
struct ServiceStrategy: ResourceStrategy {
    let allocator = ClusterIPAllocator()

    var nameRule: NameValidation.Rule { .dns1035Label }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "type", "ClusterIP")
        PodSpecDefaults.setIfMissing(&spec, "sessionAffinity", "None")
        if spec["type"]?.stringValue != "ExternalName" {
            PodSpecDefaults.setIfMissing(&spec, "internalTrafficPolicy", "Cluster")
            PodSpecDefaults.setIfMissing(&spec, "ipFamilyPolicy", "SingleStack")
            PodSpecDefaults.setIfMissing(&spec, "ipFamilies", ["IPv4"])
        }
        if var ports = spec["ports"]?.arrayValue {
            for index in ports.indices {
                PodSpecDefaults.setIfMissing(&ports[index], "protocol", "TCP")
                if ports[index]["targetPort"] == nil, let port = ports[index]["port"] { ports[index]["targetPort"] = port }
            }
            spec["ports"] = .array(ports)
        }
        if let ip = spec["clusterIP"]?.stringValue, !ip.isEmpty { spec["clusterIPs"] = [.string(ip)] }
        object["spec"] = spec
        PodSpecDefaults.setIfMissing(&object, "status", ["loadBalancer": .emptyObject])
    }

    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["loadBalancer": .emptyObject]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
        if (object[path: "spec", "clusterIP"]?.stringValue ?? "").isEmpty {
            object[path: "spec", "clusterIP"] = old[path: "spec", "clusterIP"]
            object[path: "spec", "clusterIPs"] = old[path: "spec", "clusterIPs"]
        }
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let type = object[path: "spec", "type"]?.stringValue ?? "ClusterIP"
        let supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !supported.contains(type) { errors.append(.notSupported("spec.type", .string(type), supported: supported)) }
        let ports = object[path: "spec", "ports"]?.arrayValue ?? []
        let headless = object[path: "spec", "clusterIP"]?.stringValue == "None"
        if ports.isEmpty && type != "ExternalName" && !headless { errors.append(.required("spec.ports")) }
        for (index, port) in ports.enumerated() {
            guard let number = port["port"]?.intValue else {
                errors.append(.required("spec.ports[\(index)].port"))
                continue
            }
            if !(1...65535).contains(number) {
                errors.append(.invalid("spec.ports[\(index)].port", .int(number), "must be between 1 and 65535, inclusive"))
            }
            if ports.count > 1, (port["name"]?.stringValue ?? "").isEmpty { errors.append(.required("spec.ports[\(index)].name")) }
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        let before = old[path: "spec", "clusterIP"]?.stringValue ?? ""
        let after = object[path: "spec", "clusterIP"]?.stringValue ?? ""
        if !before.isEmpty, before != after {
            return [.invalid("spec.clusterIPs[0]", .string(after), "may not change once set")]
        }
        return []
    }

    func beforeCreate(_ object: inout JSONValue, context: StrategyContext) throws(APIError) {
        guard object[path: "spec", "type"]?.stringValue != "ExternalName" else { return }
        let requested = object[path: "spec", "clusterIP"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if requested == "None" { return }
        var inUse = Set<UInt32>()
        if let services = context.registry.store(for: GroupResource(group: "", resource: "services")) {
            for service in services.cache.snapshot(filter: WatchFilter()).objects {
                if let ip = service.object[path: "spec", "clusterIP"]?.stringValue.flatMap(ClusterIPAllocator.parse) { inUse.insert(ip) }
            }
        }
        let ip = try allocator.allocate(requested: requested, inUse: inUse)
        if context.dryRun { allocator.release(ip) }
        object[path: "spec", "clusterIP"] = .string(ip)
        object[path: "spec", "clusterIPs"] = [.string(ip)]
    }

    func afterDelete(_ object: JSONValue, context: StrategyContext) {
        if let ip = object[path: "spec", "clusterIP"]?.stringValue { allocator.release(ip) }
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Type"), TableColumn("Cluster-IP"), TableColumn("External-IP"), TableColumn("Port(s)"), .age,
         TableColumn("Selector", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let spec = object["spec"] ?? .emptyObject
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        let ports = (spec["ports"]?.arrayValue ?? []).map { port -> String in
            let number = port["port"]?.intValue ?? 0
            let proto = port["protocol"]?.stringValue ?? "TCP"
            if let nodePort = port["nodePort"]?.intValue, nodePort > 0 { return "\(number):\(nodePort)/\(proto)" }
            return "\(number)/\(proto)"
        }
        let selector = (spec["selector"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ",")
        return [
            .string(object.name ?? ""), .string(type), .string(spec["clusterIP"]?.stringValue ?? "<none>"),
            .string(externalIP(object, type: type)), .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")),
            .string(Age.since(object, now: now)), .string(selector.isEmpty ? "<none>" : selector),
        ]
    }

    private func externalIP(_ object: JSONValue, type: String) -> String {
        let external = (object[path: "spec", "externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
        switch type {
        case "ExternalName": return object[path: "spec", "externalName"]?.stringValue ?? "<none>"
        case "LoadBalancer":
            let ingress = (object[path: "status", "loadBalancer", "ingress"]?.arrayValue ?? []).compactMap {
                $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue
            }
            let all = ingress + external
            return all.isEmpty ? "<pending>" : all.joined(separator: ",")
        default: return external.isEmpty ? "<none>" : external.joined(separator: ",")
        }
    }
}
