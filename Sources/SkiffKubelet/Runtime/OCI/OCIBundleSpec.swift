import SkiffAPI

/// The `config.json` of a container's OCI bundle (runtime spec 1.0), from the container's
/// spec and its image's config: the process (command, args, env, working directory, user),
/// the hostname, the standard /proc /dev /sys mounts (and the pod's resolv.conf and volumes), and the namespaces — the pod's network
/// namespace joined by path, the others the container's own; with a cgroup path, the container's
/// cgroup and its CPU and memory limits (`linux.cgroupsPath`, `linux.resources`).
struct OCIBundleSpec {
    /// Docker's and containerd's default capability set.
    static let capabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ]

    var container: ContainerConfig
    /// The image's `config` object.
    var image: JSONValue
    var hostname: String
    var networkNamespacePath: String
    /// The host file bound to `/etc/resolv.conf` (nil: the image's).
    var resolvConf: String? = nil
    /// The container's cgroup (`<pod cgroup>/<container id>`); nil: runc's default and no limits.
    var cgroupsPath: String? = nil

    /// `command` replaces the entrypoint and drops the image's cmd; `args` replace the cmd.
    var arguments: [String] {
        let entrypoint = image["Entrypoint"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let cmd = image["Cmd"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !container.command.isEmpty { return container.command + container.args }
        return entrypoint + (container.args.isEmpty ? cmd : container.args)
    }

    /// The image's environment with the container's on top (a later name replaces an earlier one).
    var environment: [String] {
        var names: [String] = []
        var values: [String: String] = [:]
        let image = (self.image["Env"]?.arrayValue?.compactMap(\.stringValue) ?? []).map { entry -> (String, String) in
            let pair = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
        }
        for (name, value) in image + container.env.map({ ($0.name, $0.value) }) + [("HOSTNAME", hostname)] {
            if values[name] == nil { names.append(name) }
            values[name] = value
        }
        if values["PATH"] == nil {
            names.insert("PATH", at: 0)
            values["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        }
        return names.map { "\($0)=\(values[$0] ?? "")" }
    }

    /// The numeric `uid[:gid]` of the image's `User` (names are not resolved: root).
    var user: (uid: Int64, gid: Int64) {
        let parts = (image["User"]?.stringValue ?? "").split(separator: ":").map { Int64($0) }
        let uid = parts.first.flatMap { $0 } ?? 0
        return (uid, parts.count > 1 ? parts[1] ?? 0 : 0)
    }

    /// The standard mounts, the pod's resolv.conf bound over the image's, and the pod's volumes
    /// (shallower mount paths first, so that a volume mounted inside another's path lands on top).
    var mounts: [JSONValue] {
        var mounts: [JSONValue] = [
            ["destination": "/proc", "type": "proc", "source": "proc"],
            ["destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]],
            ["destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]],
            ["destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]],
            ["destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]],
            ["destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]],
        ]
        if let resolvConf {
            mounts.append(["destination": "/etc/resolv.conf", "type": "bind", "source": .string(resolvConf), "options": ["rbind", "rw"]])
        }
        let volumes = container.mounts.enumerated().sorted {
            ($0.element.containerPath.split(separator: "/").count, $0.offset) < ($1.element.containerPath.split(separator: "/").count, $1.offset)
        }
        for (_, volume) in volumes {
            mounts.append([
                "destination": .string(volume.containerPath), "type": "bind", "source": .string(volume.hostPath),
                "options": ["rbind", "rprivate", volume.readOnly ? "ro" : "rw"],
            ])
        }
        return mounts
    }

    var json: JSONValue {
        let workingDir = container.workingDir.isEmpty ? (image["WorkingDir"]?.stringValue ?? "") : container.workingDir
        let capabilities = JSONValue.array(Self.capabilities.map(JSONValue.string))
        return [
            "ociVersion": "1.0.2",
            "process": [
                "terminal": .bool(container.tty),
                "user": ["uid": .int(user.uid), "gid": .int(user.gid)],
                "args": .array(arguments.map(JSONValue.string)),
                "env": .array(environment.map(JSONValue.string)),
                "cwd": .string(workingDir.isEmpty ? "/" : workingDir),
                "capabilities": [
                    "bounding": capabilities, "effective": capabilities, "permitted": capabilities,
                ],
                "noNewPrivileges": false,
            ],
            "root": ["path": "rootfs", "readonly": false],
            "hostname": .string(hostname),
            "mounts": .array(mounts),
            "linux": linux,
        ]
    }

    /// `linux`: namespaces, masked and read-only paths, the cgroup and its limits.
    private var linux: JSONValue {
        var linux: JSONValue = [
            "resources": resources,
            "namespaces": [
                ["type": "pid"], ["type": "ipc"], ["type": "uts"], ["type": "mount"],
                ["type": "network", "path": .string(networkNamespacePath)],
            ],
            "maskedPaths": [
                "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
            ],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
        ]
        if let cgroupsPath { linux["cgroupsPath"] = .string(cgroupsPath) }
        return linux
    }

    /// `linux.resources`: no devices; with a cgroup, `cpu.shares`, the CFS quota and period and the
    /// memory limit (swap the same: none) where set, as containerd writes CRI's `LinuxContainerResources`.
    private var resources: JSONValue {
        var resources: JSONValue = ["devices": [["allow": false, "access": "rwm"]]]
        guard cgroupsPath != nil else { return resources }
        let limits = container.resources
        var cpu: JSONValue = ["shares": .int(limits.cpuShares)]
        if limits.cpuQuota > 0 {
            cpu["quota"] = .int(limits.cpuQuota)
            cpu["period"] = .int(limits.cpuPeriod)
        }
        resources["cpu"] = cpu
        if limits.memoryLimitInBytes > 0 {
            resources["memory"] = ["limit": .int(limits.memoryLimitInBytes), "swap": .int(limits.memorySwapLimitInBytes)]
        }
        return resources
    }
}
