import Foundation

/// The machine's own CPU time and working set, from `/proc/stat` (busy jiffies at 100 per
/// second) and `/proc/meminfo` (`MemTotal - MemAvailable`): what a node running real containers
/// reports as its usage. Nil where `/proc` cannot be read.
enum HostUsage {
    static func read() -> ContainerUsage? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let cpuLine = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }),
            let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        else { return nil }
        // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
        let fields = cpuLine.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        var kilobytes: [String: Double] = [:]
        for line in meminfo.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let value = Double(parts[1]) { kilobytes[String(parts[0].dropLast())] = value }
        }
        guard let total = kilobytes["MemTotal"], let available = kilobytes["MemAvailable"] else { return nil }
        return ContainerUsage(cpuSeconds: busy / 100, memoryBytes: (total - available) * 1024)
    }
}
