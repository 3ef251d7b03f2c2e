import SkiffAPI

/// Upstream's defaults for a pod spec, shared by pods and every pod template (workloads).
enum PodSpecDefaults {
    static func apply(to spec: inout JSONValue) {
        setIfMissing(&spec, "restartPolicy", "Always")
        setIfMissing(&spec, "dnsPolicy", "ClusterFirst")
        setIfMissing(&spec, "schedulerName", "default-scheduler")
        setIfMissing(&spec, "terminationGracePeriodSeconds", 30)
        setIfMissing(&spec, "securityContext", .emptyObject)
        if let account = spec["serviceAccountName"] ?? spec["serviceAccount"] {
            spec["serviceAccountName"] = account
            spec["serviceAccount"] = account
        }
        for field in ["containers", "initContainers"] {
            guard var containers = spec[field]?.arrayValue else { continue }
            for index in containers.indices { applyContainerDefaults(&containers[index]) }
            spec[field] = .array(containers)
        }
    }

    /// Container defaults: termination message path and policy, image pull policy from the tag,
    /// port protocol.
    static func applyContainerDefaults(_ container: inout JSONValue) {
        setIfMissing(&container, "terminationMessagePath", "/dev/termination-log")
        setIfMissing(&container, "terminationMessagePolicy", "File")
        if container["imagePullPolicy"] == nil, let image = container["image"]?.stringValue {
            container["imagePullPolicy"] = .string(pullPolicy(forImage: image))
        }
        setIfMissing(&container, "resources", .emptyObject)
        if var ports = container["ports"]?.arrayValue {
            for index in ports.indices { setIfMissing(&ports[index], "protocol", "TCP") }
            container["ports"] = .array(ports)
        }
    }

    /// `Always` for `:latest` or an untagged image (without digest), else `IfNotPresent`.
    static func pullPolicy(forImage image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    /// Validates the containers of a pod spec at `path` (e.g. `spec` or `spec.template.spec`).
    static func validate(_ spec: JSONValue?, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let containers = spec?["containers"]?.arrayValue ?? []
        if containers.isEmpty { errors.append(.required("\(path).containers")) }
        var names = Set<String>()
        for field in ["initContainers", "containers"] {
            for (index, container) in (spec?[field]?.arrayValue ?? []).enumerated() {
                let name = container["name"]?.stringValue ?? ""
                if name.isEmpty {
                    errors.append(.required("\(path).\(field)[\(index)].name"))
                } else {
                    errors += NameValidation.dns1123Label(name).map { .invalid("\(path).\(field)[\(index)].name", .string(name), $0) }
                    if !names.insert(name).inserted { errors.append(.duplicate("\(path).\(field)[\(index)].name", .string(name))) }
                }
                if (container["image"]?.stringValue ?? "").isEmpty { errors.append(.required("\(path).\(field)[\(index)].image")) }
            }
        }
        if let policy = spec?["restartPolicy"]?.stringValue, !["Always", "OnFailure", "Never"].contains(policy) {
            errors.append(.notSupported("\(path).restartPolicy", .string(policy), supported: ["Always", "OnFailure", "Never"]))
        }
        return errors
    }

    static func setIfMissing(_ object: inout JSONValue, _ key: String, _ value: JSONValue) {
        if object[key] == nil || object[key] == .null { object[key] = value }
    }
}
