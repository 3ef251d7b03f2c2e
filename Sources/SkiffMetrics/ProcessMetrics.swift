import Foundation

/// The `process_*` metrics Prometheus' Go client exports, read from `/proc/<pid>` (this process
/// at scrape time; benchmarks read their components'): CPU seconds, resident and virtual memory,
/// open and maximum file descriptors, start time. Nil where there is no `/proc` (macOS).
public struct ProcessMetrics: Sendable {
    public var cpuSeconds: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    public var startTimeSeconds: Double
    public var openFDs: Double
    public var maxFDs: Double

    /// This process's figures now, or nil without `/proc`.
    public static func current() -> ProcessMetrics? { read(pid: "self") }

    /// Process `pid`'s figures now (`self`: this process), or nil when it cannot be read.
    public static func read(pid: String) -> ProcessMetrics? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let systemStat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8)
        else { return nil }
        // The fields after the command name, which is in parentheses and may hold spaces.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ").map(String.init)
        // fields[0] is the state (field 3 of proc(5)): utime is field 14, stime 15, starttime 22, vsize 23, rss 24.
        func field(_ number: Int) -> Double { Double(fields[safe: number - 3] ?? "") ?? 0 }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let bootTime = systemStat.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) } ?? 0
        let openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
        let limits = (try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)) ?? ""
        // "Max open files            1024                 1048576              files": the soft limit.
        let maxFDs = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }
            .flatMap { $0.dropFirst("Max open files".count).split(separator: " ").first }.flatMap { Double($0) } ?? 0
        return ProcessMetrics(
            cpuSeconds: (field(14) + field(15)) / ticks, residentMemoryBytes: field(24) * pageSize, virtualMemoryBytes: field(23),
            startTimeSeconds: bootTime + field(22) / ticks, openFDs: Double(openFDs), maxFDs: maxFDs)
    }

    func families() -> [String: MetricFamily] {
        let values: [(String, MetricFamily.Kind, Double)] = [
            ("process_cpu_seconds_total", .counter, cpuSeconds), ("process_resident_memory_bytes", .gauge, residentMemoryBytes),
            ("process_virtual_memory_bytes", .gauge, virtualMemoryBytes), ("process_start_time_seconds", .gauge, startTimeSeconds),
            ("process_open_fds", .gauge, openFDs), ("process_max_fds", .gauge, maxFDs),
        ]
        var families: [String: MetricFamily] = [:]
        for (name, kind, value) in values {
            families[name] = MetricFamily(kind: kind, series: [LabelSet([]): ConstantSeries(value)])
        }
        return families
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
