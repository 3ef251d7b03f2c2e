import Foundation
import Glibc
import SkiffAPI

/// What this machine offers, as upstream's kubelet learns it from cAdvisor: the online CPUs, the
/// memory (`MemTotal` of `/proc/meminfo`) and the size of the filesystem holding the kubelet's
/// data directory (ephemeral storage), in upstream's canonical quantities (`24683784Ki`).
enum MachineCapacity {
    /// The capacity of this machine, the data directory's filesystem being the one holding
    /// `dataDirectory` (or its nearest existing parent); nil for what cannot be read.
    static func measure(dataDirectory: String) -> (cpu: String?, memory: String?, ephemeralStorage: String?) {
        let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        return (cpus > 0 ? String(cpus) : nil, meminfo.flatMap(memory(meminfo:)), filesystemBytes(dataDirectory).map(binary))
    }

    /// `MemTotal` (kB) of a `/proc/meminfo` text, as bytes in canonical form.
    static func memory(meminfo: String) -> String? {
        HostSignals.kilobytes("MemTotal", in: meminfo).map { binary($0 * 1024) }
    }

    /// A byte count as upstream prints a binary quantity (`1Gi`, `24683784Ki`; `1k` under 1024).
    static func binary(_ bytes: Int64) -> String {
        ResourceQuantity(.int(bytes))?.canonical(binary: true) ?? String(bytes)
    }

    /// The size of the filesystem holding `path` or its nearest existing parent.
    private static func filesystemBytes(_ path: String) -> Int64? {
        var candidate = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: candidate.path), candidate.path != "/" { candidate.deleteLastPathComponent() }
        var info = statvfs()
        guard statvfs(candidate.path, &info) == 0 else { return nil }
        return Int64(info.f_blocks) * Int64(info.f_frsize)
    }
}

extension NodeConfiguration {
    /// This configuration with the CPU, memory and ephemeral storage this machine has, and its
    /// address unless one is set (`HostAddress`; what cannot be read keeps its configured
    /// value), evicting as `eviction` says: what a node running real containers reports.
    public func measuringHost(dataDirectory: String, eviction: EvictionConfiguration = EvictionConfiguration()) -> NodeConfiguration {
        let measured = MachineCapacity.measure(dataDirectory: dataDirectory)
        var configuration = self
        configuration.eviction = eviction
        configuration.address = address ?? HostAddress.defaultRouteIPv4()
        configuration.cpu = measured.cpu ?? cpu
        configuration.memory = measured.memory ?? memory
        configuration.ephemeralStorage = measured.ephemeralStorage ?? ephemeralStorage
        return configuration
    }
}
