import SkiffAPI

/// Validation of a pod spec, in a pod or a template, with upstream's field paths and messages:
/// volumes, containers (names, images, ports, environment, mounts, pull policy), restart and DNS
/// policies — the checks users commonly hit.
enum PodSpecValidation {
    private static let restartPolicies = ["Always", "OnFailure", "Never"]

    /// Validates the pod spec found at `path` (e.g. `spec` or `spec.template.spec`).
    static func validate(_ spec: JSONValue?, path: String) -> [FieldError] {
        let spec = spec ?? .emptyObject
        var errors: [FieldError] = []
        var volumeNames = Set<String>()
        for (index, volume) in spec.elements(at: "volumes").enumerated() {
            let name = volume.stringValue(at: "name")
            errors += FieldRules.dns1123Label(name, field: "\(path).volumes[\(index)].name")
            if !volumeNames.insert(name).inserted { errors.append(.duplicate("\(path).volumes[\(index)].name", .string(name))) }
        }
        let containers = spec.elements(at: "containers")
        if containers.isEmpty { errors.append(.required("\(path).containers")) }
        var containerNames = Set<String>()
        for field in ["containers", "initContainers"] {
            for (index, container) in spec.elements(at: field).enumerated() {
                let containerPath = "\(path).\(field)[\(index)]"
                errors += validateContainer(container, path: containerPath, volumes: volumeNames)
                let name = container.stringValue(at: "name")
                if !containerNames.insert(name).inserted { errors.append(.duplicate("\(containerPath).name", .string(name))) }
            }
        }
        errors += FieldRules.supported(spec["restartPolicy"], field: "\(path).restartPolicy", values: restartPolicies)
        errors += FieldRules.supported(spec["dnsPolicy"], field: "\(path).dnsPolicy", values: ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"])
        return errors
    }

    private static func validateContainer(_ container: JSONValue, path: String, volumes: Set<String>) -> [FieldError] {
        var errors = FieldRules.dns1123Label(container.stringValue(at: "name"), field: "\(path).name")
        if container.stringValue(at: "image").isEmpty { errors.append(.required("\(path).image")) }
        errors += FieldRules.supported(container["terminationMessagePolicy"], field: "\(path).terminationMessagePolicy", values: ["File", "FallbackToLogsOnError"])
        var portNames = Set<String>()
        for (index, port) in container.elements(at: "ports").enumerated() {
            let portPath = "\(path).ports[\(index)]"
            let name = port.stringValue(at: "name")
            if !name.isEmpty {
                let problems = PortValidation.portNameProblems(name)
                errors += problems.map { .invalid("\(portPath).name", .string(name), $0) }
                if problems.isEmpty && !portNames.insert(name).inserted { errors.append(.duplicate("\(portPath).name", .string(name))) }
            }
            errors += PortValidation.portNumber(port["containerPort"], field: "\(portPath).containerPort", required: true)
            if port.intValue(at: "hostPort") != 0 { errors += PortValidation.portNumber(port["hostPort"], field: "\(portPath).hostPort", required: false) }
            errors += FieldRules.supported(port["protocol"], field: "\(portPath).protocol", values: PortValidation.protocols)
        }
        for (index, variable) in container.elements(at: "env").enumerated() {
            let name = variable.stringValue(at: "name")
            if name.isEmpty {
                errors.append(.required("\(path).env[\(index)].name"))
            } else if !isEnvironmentVariableName(name) {
                errors.append(.invalid("\(path).env[\(index)].name", .string(name), "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"))
            }
        }
        var mountPaths = Set<String>()
        for (index, mount) in container.elements(at: "volumeMounts").enumerated() {
            let mountPath = "\(path).volumeMounts[\(index)]"
            let name = mount.stringValue(at: "name")
            if name.isEmpty { errors.append(.required("\(mountPath).name")) }
            if !volumes.contains(name) { errors.append(FieldError(.fieldValueNotFound, field: "\(mountPath).name", value: .string(name))) }
            let target = mount.stringValue(at: "mountPath")
            if target.isEmpty { errors.append(.required("\(mountPath).mountPath")) }
            if !mountPaths.insert(target).inserted { errors.append(.invalid("\(mountPath).mountPath", .string(target), "must be unique")) }
        }
        errors += FieldRules.supported(container["imagePullPolicy"], field: "\(path).imagePullPolicy", values: ["Always", "IfNotPresent", "Never"])
        return errors
    }

    private static func isEnvironmentVariableName(_ name: String) -> Bool {
        func allowed(_ byte: UInt8) -> Bool {
            (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 46 || byte == 95
        }
        guard let first = name.utf8.first, allowed(first) else { return false }
        return name.utf8.allSatisfy { allowed($0) || (48...57).contains($0) }
    }
}
