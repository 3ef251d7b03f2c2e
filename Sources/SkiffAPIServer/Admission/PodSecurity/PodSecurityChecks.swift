import SkiffAPI

/// The checks of the Pod Security Standards of v1.32 on a pod's spec, each giving
/// upstream's reason and detail (`privileged (container "app" must not set
/// securityContext.privileged=true)`). Baseline runs its own checks; restricted runs baseline's
/// except those it tightens (capabilities, hostPath volumes, seccomp), then its own. Not
/// checked: AppArmor profiles and SELinux options.
struct PodSecurityChecks {
    struct Violation: Equatable {
        var reason: String
        var detail: String
    }

    /// The pod's (or pod template's) spec.
    let spec: JSONValue

    /// Every violation of the level, in upstream's order.
    func violations(_ level: PodSecurityLevel) -> [Violation] {
        guard level.standard != .privileged else { return [] }
        var found = [hostNamespaces(), hostPorts(), privileged(), procMount(), sysctls(level), windowsHostProcess()]
        if level.standard == .baseline {
            found += [capabilitiesBaseline(), hostPathVolumes(), seccompBaseline()]
        } else {
            let windows = spec[path: "os", "name"]?.stringValue == "windows" && level.includes(since: 25)
            found += [
                windows || !level.includes(since: 8) ? nil : allowPrivilegeEscalation(),
                windows || !level.includes(since: 22) ? nil : capabilitiesRestricted(),
                restrictedVolumes(), runAsNonRoot(),
                level.includes(since: 23) ? runAsUser() : nil,
                windows || !level.includes(since: 19) ? nil : seccompRestricted(),
            ]
        }
        return found.compactMap { $0 }
    }

    /// `reason (detail), reason (detail)` (upstream's aggregate `ForbiddenDetail`).
    static func summary(_ violations: [Violation]) -> String {
        violations.map { $0.detail.isEmpty ? $0.reason : "\($0.reason) (\($0.detail))" }.joined(separator: ", ")
    }

    // MARK: - Baseline

    private func hostNamespaces() -> Violation? {
        let used = ["hostIPC", "hostNetwork", "hostPID"].filter { spec[$0]?.boolValue == true }
        return used.isEmpty ? nil : Violation(reason: "host namespaces", detail: used.joined(separator: ", "))
    }

    private func hostPorts() -> Violation? {
        var names: [String] = []
        var ports: Set<String> = []
        for container in containers {
            let hostPorts = (container["ports"]?.arrayValue ?? []).compactMap { $0["hostPort"]?.intValue }.filter { $0 != 0 }
            guard !hostPorts.isEmpty else { continue }
            names.append(name(container))
            ports.formUnion(hostPorts.map { String($0) })
        }
        guard !names.isEmpty else { return nil }
        return Violation(reason: "hostPort", detail: "\(Self.containers(names)) \(names.count == 1 ? "uses" : "use") "
                             + "\(ports.count == 1 ? "hostPort" : "hostPorts") \(ports.sorted().joined(separator: ", "))")
    }

    private func privileged() -> Violation? {
        let names = containers.filter { $0[path: "securityContext", "privileged"]?.boolValue == true }.map(name)
        return names.isEmpty ? nil : Violation(reason: "privileged", detail: "\(Self.containers(names)) must not set securityContext.privileged=true")
    }

    private func procMount() -> Violation? {
        var names: [String] = []
        var types: Set<String> = []
        for container in containers {
            guard let type = container[path: "securityContext", "procMount"]?.stringValue, type != "Default" else { continue }
            names.append(name(container))
            types.insert(type)
        }
        guard !names.isEmpty else { return nil }
        return Violation(reason: "procMount",
                         detail: "\(Self.containers(names)) must not set securityContext.procMount to \(Self.joinQuote(types.sorted()))")
    }

    /// The sysctls baseline allows, with the version each joined the list.
    private static let safeSysctls: [String: Int] = [
        "kernel.shm_rmid_forced": 0, "net.ipv4.ip_local_port_range": 0, "net.ipv4.tcp_syncookies": 0, "net.ipv4.ping_group_range": 0,
        "net.ipv4.ip_unprivileged_port_start": 0, "net.ipv4.ip_local_reserved_ports": 27, "net.ipv4.tcp_keepalive_time": 29,
        "net.ipv4.tcp_fin_timeout": 29, "net.ipv4.tcp_keepalive_intvl": 29, "net.ipv4.tcp_keepalive_probes": 29,
    ]

    private func sysctls(_ level: PodSecurityLevel) -> Violation? {
        let names = (spec[path: "securityContext", "sysctls"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let forbidden = names.filter { name in Self.safeSysctls[name].map { !level.includes(since: $0) } ?? true }
        return forbidden.isEmpty ? nil : Violation(reason: "forbidden sysctls", detail: forbidden.joined(separator: ", "))
    }

    private func windowsHostProcess() -> Violation? {
        var setters: [String] = []
        if spec[path: "securityContext", "windowsOptions", "hostProcess"]?.boolValue == true { setters.append("pod") }
        let names = containers.filter { $0[path: "securityContext", "windowsOptions", "hostProcess"]?.boolValue == true }.map(name)
        if !names.isEmpty { setters.append(Self.containers(names)) }
        guard !setters.isEmpty else { return nil }
        return Violation(reason: "hostProcess",
                         detail: "\(setters.joined(separator: " and ")) must not set securityContext.windowsOptions.hostProcess=true")
    }

    private static let defaultCapabilities: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID",
        "SETPCAP", "SETUID", "SYS_CHROOT",
    ]

    private func capabilitiesBaseline() -> Violation? {
        var names: [String] = []
        var added: Set<String> = []
        for container in containers {
            let extra = capabilitiesAdded(by: container).filter { !Self.defaultCapabilities.contains($0) }
            guard !extra.isEmpty else { continue }
            names.append(name(container))
            added.formUnion(extra)
        }
        guard !names.isEmpty else { return nil }
        return Violation(reason: "non-default capabilities",
                         detail: "\(Self.containers(names)) must not include \(Self.joinQuote(added.sorted())) in securityContext.capabilities.add")
    }

    private func hostPathVolumes() -> Violation? {
        let names = volumes.filter { $0["hostPath"] != nil }.map(name)
        guard !names.isEmpty else { return nil }
        return Violation(reason: "hostPath volumes", detail: "\(names.count == 1 ? "volume" : "volumes") \(Self.joinQuote(names))")
    }

    private func seccompBaseline() -> Violation? {
        var setters: [String] = []
        var values: Set<String> = []
        if let type = spec[path: "securityContext", "seccompProfile", "type"]?.stringValue, !Self.validSeccomp(type) {
            setters.append("pod")
            values.insert(type)
        }
        var names: [String] = []
        for container in containers {
            guard let type = container[path: "securityContext", "seccompProfile", "type"]?.stringValue, !Self.validSeccomp(type) else { continue }
            names.append(name(container))
            values.insert(type)
        }
        if !names.isEmpty { setters.append(Self.containers(names)) }
        guard !setters.isEmpty else { return nil }
        return Violation(reason: "seccompProfile", detail: "\(setters.joined(separator: " and ")) must not set securityContext.seccompProfile.type to "
                             + Self.joinQuote(values.sorted()))
    }

    // MARK: - Restricted

    private func allowPrivilegeEscalation() -> Violation? {
        let names = containers.filter { $0[path: "securityContext", "allowPrivilegeEscalation"]?.boolValue != false }.map(name)
        guard !names.isEmpty else { return nil }
        return Violation(reason: "allowPrivilegeEscalation != false",
                         detail: "\(Self.containers(names)) must set securityContext.allowPrivilegeEscalation=false")
    }

    private func capabilitiesRestricted() -> Violation? {
        var missingDrop: [String] = []
        var adding: [String] = []
        var added: Set<String> = []
        for container in containers {
            let capabilities = container[path: "securityContext", "capabilities"]
            let drops = capabilities?["drop"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if capabilities == nil || !drops.contains("ALL") { missingDrop.append(name(container)) }
            guard capabilities != nil else { continue }
            let extra = capabilitiesAdded(by: container).filter { $0 != "NET_BIND_SERVICE" }
            if !extra.isEmpty {
                adding.append(name(container))
                added.formUnion(extra)
            }
        }
        var details: [String] = []
        if !missingDrop.isEmpty { details.append(#"\#(Self.containers(missingDrop)) must set securityContext.capabilities.drop=["ALL"]"#) }
        if !adding.isEmpty {
            details.append("\(Self.containers(adding)) must not include \(Self.joinQuote(added.sorted())) in securityContext.capabilities.add")
        }
        return details.isEmpty ? nil : Violation(reason: "unrestricted capabilities", detail: details.joined(separator: "; "))
    }

    /// The volume sources restricted allows.
    private static let allowedVolumeSources = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]

    private func restrictedVolumes() -> Violation? {
        let names = Set(volumes.filter { volume in !Self.allowedVolumeSources.contains { volume[$0] != nil } }.map(name)).sorted()
        guard !names.isEmpty else { return nil }
        // Go's %q of a list of strings: ["a" "b"].
        return Violation(reason: "restricted volume types",
                         detail: "volumes [\(names.map { "\"\($0)\"" }.joined(separator: " "))] have restricted types")
    }

    private func runAsNonRoot() -> Violation? {
        var setters: [String] = []
        let podValue = spec[path: "securityContext", "runAsNonRoot"]?.boolValue
        if podValue == false { setters.append("pod") }
        var explicit: [String] = []
        var implicit: [String] = []
        for container in containers {
            if let value = container[path: "securityContext", "runAsNonRoot"]?.boolValue {
                if !value { explicit.append(name(container)) }
            } else if podValue != true {
                implicit.append(name(container))
            }
        }
        if !explicit.isEmpty { setters.append(Self.containers(explicit)) }
        if !setters.isEmpty {
            return Violation(reason: "runAsNonRoot != true", detail: "\(setters.joined(separator: " and ")) must not set securityContext.runAsNonRoot=false")
        }
        guard !implicit.isEmpty else { return nil }
        return Violation(reason: "runAsNonRoot != true", detail: "pod or \(Self.containers(implicit)) must set securityContext.runAsNonRoot=true")
    }

    private func runAsUser() -> Violation? {
        var setters: [String] = []
        if spec[path: "securityContext", "runAsUser"]?.intValue == 0 { setters.append("pod") }
        let names = containers.filter { $0[path: "securityContext", "runAsUser"]?.intValue == 0 }.map(name)
        if !names.isEmpty { setters.append(Self.containers(names)) }
        guard !setters.isEmpty else { return nil }
        return Violation(reason: "runAsUser=0", detail: "\(setters.joined(separator: " and ")) must not set runAsUser=0")
    }

    private func seccompRestricted() -> Violation? {
        if let violation = seccompBaseline() { return violation }
        let podSet = spec[path: "securityContext", "seccompProfile", "type"]?.stringValue.map(Self.validSeccomp) == true
        guard !podSet else { return nil }
        let names = containers.filter { $0[path: "securityContext", "seccompProfile"] == nil }.map(name)
        guard !names.isEmpty else { return nil }
        return Violation(reason: "seccompProfile",
                         detail: #"pod or \#(Self.containers(names)) must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#)
    }

    // MARK: - Helpers

    /// Containers, init containers and ephemeral containers (upstream's `visitContainers`).
    private var containers: [JSONValue] {
        ["initContainers", "containers", "ephemeralContainers"].flatMap { spec[$0]?.arrayValue ?? [] }
    }

    private var volumes: [JSONValue] { spec["volumes"]?.arrayValue ?? [] }

    private func name(_ element: JSONValue) -> String { element["name"]?.stringValue ?? "" }

    private func capabilitiesAdded(by container: JSONValue) -> [String] {
        container[path: "securityContext", "capabilities", "add"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    private static func validSeccomp(_ type: String) -> Bool { type == "RuntimeDefault" || type == "Localhost" }

    /// `container "a"` or `containers "a", "b"`.
    private static func containers(_ names: [String]) -> String {
        "\(names.count == 1 ? "container" : "containers") \(joinQuote(names))"
    }

    /// `"a", "b"`.
    private static func joinQuote(_ items: [String]) -> String {
        items.isEmpty ? "" : "\"" + items.joined(separator: "\", \"") + "\""
    }
}
