import Foundation

/// A runc container's CPU time and working set, read as the CRI runtimes read them: from the
/// cgroups runc's state (`<root>/<id>/state.json`, `cgroup_paths`) names. cgroup v2: `cpu.stat`
/// `usage_usec`, `memory.current` less `memory.stat` `inactive_file`; v1: `cpuacct.usage` (ns),
/// `memory.usage_in_bytes` less `total_inactive_file`. Without cgroups, the init process's
/// `/proc/<pid>/stat` times (100 ticks a second) and resident set. Also whether the kernel's OOM
/// killer killed in the container's memory cgroup (`oomKilled`).
enum ContainerCgroupStats {
    /// The usage of container `id` under runc's state root; nil when it cannot be read.
    static func read(stateRoot: String, id: String) -> ContainerUsage? {
        guard let state = state(stateRoot: stateRoot, id: id) else { return nil }
        let paths = state["cgroup_paths"] as? [String: String] ?? [:]
        if let unified = paths[""], let usage = v2(cpuStat: file(unified, "cpu.stat"), memoryCurrent: file(unified, "memory.current"),
                                                   memoryStat: file(unified, "memory.stat")) {
            return usage
        }
        if let usage = v1(cpuacctUsage: file(paths["cpuacct"] ?? paths["cpu"], "cpuacct.usage"),
                          memoryUsage: file(paths["memory"], "memory.usage_in_bytes"), memoryStat: file(paths["memory"], "memory.stat")) {
            return usage
        }
        guard let pid = state["init_process_pid"] as? Int else { return nil }
        return process(stat: try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                       status: try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))
    }

    /// Whether the OOM killer killed a process of container `id` (a container `runc run --keep`
    /// ran, whose cgroups outlive its exit): the `oom_kill` count of v1's `memory.oom_control`,
    /// or of v2's `memory.events`, is above zero.
    static func oomKilled(stateRoot: String, id: String) -> Bool {
        let paths = state(stateRoot: stateRoot, id: id)?["cgroup_paths"] as? [String: String] ?? [:]
        let counts = [file(paths["memory"], "memory.oom_control"), file(paths[""], "memory.events")].compactMap { $0.flatMap { field("oom_kill", in: $0) } }
        return counts.contains { $0 > 0 }
    }

    /// runc's `state.json` of container `id`.
    private static func state(stateRoot: String, id: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: "\(stateRoot)/\(id)/state.json") else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// The text of the cgroup file `name` in the directory `path`, when both exist.
    private static func file(_ path: String?, _ name: String) -> String? {
        path.flatMap { try? String(contentsOfFile: "\($0)/\(name)", encoding: .utf8) }
    }

    static func v2(cpuStat: String?, memoryCurrent: String?, memoryStat: String?) -> ContainerUsage? {
        guard let micros = cpuStat.flatMap({ field("usage_usec", in: $0) }),
            let current = memoryCurrent.flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        else { return nil }
        let inactive = memoryStat.flatMap { field("inactive_file", in: $0) } ?? 0
        return ContainerUsage(cpuSeconds: micros / 1e6, memoryBytes: max(current - inactive, 0))
    }

    static func v1(cpuacctUsage: String?, memoryUsage: String?, memoryStat: String?) -> ContainerUsage? {
        guard let nanos = cpuacctUsage.flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
            let usage = memoryUsage.flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        else { return nil }
        let inactive = memoryStat.flatMap { field("total_inactive_file", in: $0) } ?? 0
        return ContainerUsage(cpuSeconds: nanos / 1e9, memoryBytes: max(usage - inactive, 0))
    }

    /// `utime` and `stime` (fields 14 and 15, after the parenthesized name) and `VmRSS`.
    static func process(stat: String?, status: String?) -> ContainerUsage? {
        guard let stat, let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3): utime is field 14, stime field 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let kilobytes = status.flatMap { field("VmRSS:", in: $0) } ?? 0
        return ContainerUsage(cpuSeconds: (user + system) / 100, memoryBytes: kilobytes * 1024)
    }

    /// The number after `name` on its line of a `key value` file (spaces or tabs between).
    private static func field(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") {
            let parts = line.split { $0 == " " || $0 == "\t" }
            if parts.count >= 2, parts[0] == name { return Double(parts[1]) }
        }
        return nil
    }
}
