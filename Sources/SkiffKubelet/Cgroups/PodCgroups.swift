import Foundation
import Glibc
import SkiffModels

/// Makes and removes the pods' cgroups on a cgroup v1 host, as upstream's kubelet does with the
/// cgroupfs driver: `<root>/<PodCgroupConfig.name>` in the `cpu`, `memory` and `pids`
/// hierarchies under `mountPoint`, with the pod's limits written into them. The runtime puts
/// each container's cgroup below it (`PodSandboxConfig.cgroupParent`); on removal the pod's
/// directories go from every hierarchy (runc makes its container cgroups in all of them).
struct PodCgroups: Sendable {
    /// The hierarchies the pod-level limits are written to.
    static let controllers = ["cpu", "memory", "pids"]

    /// The kubelet's cgroup root inside each hierarchy (`/skiff`).
    var root: String
    /// Where the v1 hierarchies are mounted.
    var mountPoint = "/sys/fs/cgroup"
    /// The kubelet's `podPidsLimit` (nil or not positive: none).
    var pidsLimit: Int64?

    /// Makes (or finds) the cgroup of `pod` and writes its limits; returns its path as the
    /// container runtime takes it (`/skiff/kubepods/burstable/pod<uid>`). Throws when a
    /// controller is not mounted or the host refuses a directory or a value.
    func ensure(_ pod: CoreV1.Pod, uid: String) throws -> String {
        let config = PodCgroupConfig(pod: pod, uid: uid, pidsLimit: pidsLimit)
        let path = "\(root)/\(config.name)"
        for controller in Self.controllers {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(mountPoint)/\(controller)", isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CgroupError("cgroup controller \"\(controller)\" is not mounted at \(mountPoint)/\(controller)")
            }
            try Self.makeDirectories("\(mountPoint)/\(controller)", path)
        }
        let resources = config.resources
        try write(resources.cpuShares, "cpu", path, "cpu.shares")
        if resources.cpuQuota > 0 {
            try write(resources.cpuPeriod, "cpu", path, "cpu.cfs_period_us")
            try write(resources.cpuQuota, "cpu", path, "cpu.cfs_quota_us")
        }
        if resources.memoryLimitInBytes > 0 { try write(resources.memoryLimitInBytes, "memory", path, "memory.limit_in_bytes") }
        if let pids = config.pidsLimit { try write(pids, "pids", path, "pids.max") }
        return path
    }

    /// Removes the cgroup of the pod `uid` (and what is left below it) from every hierarchy;
    /// a cgroup that still holds processes stays.
    func remove(uid: String) {
        for hierarchy in hierarchies {
            for parent in PodCgroupConfig.qosParents { Self.removeTree("\(hierarchy)\(root)/\(parent)/pod\(uid)") }
        }
    }

    /// Removes every pod's cgroup (the kubelet is stopping, its containers are gone).
    func removeAll() {
        for uid in podUIDs() { remove(uid: uid) }
    }

    /// The UIDs of the pods that have a cgroup under the root (a previous run's included).
    func podUIDs() -> Set<String> {
        var uids = Set<String>()
        for hierarchy in hierarchies {
            for parent in PodCgroupConfig.qosParents {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(hierarchy)\(root)/\(parent)")) ?? []
                uids.formUnion(names.filter { $0.hasPrefix("pod") }.map { String($0.dropFirst(3)) })
            }
        }
        return uids
    }

    /// The mounted hierarchies (`/sys/fs/cgroup/memory`, `…/unified`, …).
    private var hierarchies: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: mountPoint)) ?? []).sorted().map { "\(mountPoint)/\($0)" }
    }

    private func write(_ value: Int64, _ controller: String, _ path: String, _ file: String) throws {
        let target = "\(mountPoint)/\(controller)\(path)/\(file)"
        let descriptor = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { throw CgroupError("failed to open \(target): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let text = Array(String(value).utf8)
        guard Glibc.write(descriptor, text, text.count) == text.count else {
            throw CgroupError("failed to write \"\(value)\" to \(target): \(String(cString: strerror(errno)))")
        }
    }

    /// `mkdir` of each component of `path` below `base` that does not exist yet.
    private static func makeDirectories(_ base: String, _ path: String) throws {
        var current = base
        for component in path.split(separator: "/") {
            current += "/\(component)"
            guard mkdir(current, 0o755) == 0 || errno == EEXIST else {
                throw CgroupError("failed to create cgroup \(current): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// `rmdir` of `path`'s subdirectories, deepest first, then of `path` (cgroupfs directories
    /// hold only the kernel's files, which go with them).
    private static func removeTree(_ path: String) {
        let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for child in children {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(path)/\(child)", isDirectory: &isDirectory), isDirectory.boolValue {
                removeTree("\(path)/\(child)")
            }
        }
        rmdir(path)
    }
}

/// Why a pod's cgroup could not be made.
struct CgroupError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
