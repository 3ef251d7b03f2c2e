import Foundation
import Glibc

/// What one eviction signal reads on the host: how much is available of how much.
struct SignalObservation: Sendable, Hashable {
    var available: Int64
    var capacity: Int64
}

/// The eviction signals of this machine, as upstream's kubelet derives them from its summary
/// stats: `memory.available` is `MemAvailable` of `/proc/meminfo` (the capacity minus the
/// working set the node's resource metrics report), the filesystem signals come from `statvfs`
/// of the kubelet's data directory (images live there too, so `imagefs` is `nodefs`), and
/// `pid.available` is the lower of `pid_max` and `threads-max` minus the tasks running
/// (`/proc/loadavg`). A signal that cannot be read is left out.
enum HostSignals {
    static func observe(dataDirectory: String) -> [EvictionThreshold.Signal: SignalObservation] {
        var observed: [EvictionThreshold.Signal: SignalObservation] = [:]
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
            let total = kilobytes("MemTotal", in: meminfo), let available = kilobytes("MemAvailable", in: meminfo)
        {
            observed[.memoryAvailable] = SignalObservation(available: available * 1024, capacity: total * 1024)
        }
        var info = statvfs()
        if statvfs(dataDirectory, &info) == 0 {
            let bytes = SignalObservation(available: Int64(info.f_bavail) * Int64(info.f_frsize), capacity: Int64(info.f_blocks) * Int64(info.f_frsize))
            let inodes = SignalObservation(available: Int64(info.f_favail), capacity: Int64(info.f_files))
            observed[.nodefsAvailable] = bytes
            observed[.imagefsAvailable] = bytes
            if inodes.capacity > 0 {
                observed[.nodefsInodesFree] = inodes
                observed[.imagefsInodesFree] = inodes
            }
        }
        if let maximum = [number(at: "/proc/sys/kernel/pid_max"), number(at: "/proc/sys/kernel/threads-max")].compactMap({ $0 }).min(),
            let loadavg = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
            let tasks = loadavg.split(separator: " ").dropFirst(3).first?.split(separator: "/").last.flatMap({ Int64($0) })
        {
            observed[.pidAvailable] = SignalObservation(available: maximum - tasks, capacity: maximum)
        }
        return observed
    }

    /// The kilobytes of one `/proc/meminfo` field.
    static func kilobytes(_ field: String, in meminfo: String) -> Int64? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int64($0) }
        }
        return nil
    }

    private static func number(at path: String) -> Int64? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
