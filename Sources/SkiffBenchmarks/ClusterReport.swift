import Foundation
import SkiffMetrics

/// The end of `skiff bench cluster`: a Markdown report of the run against upstream's SLOs: API
/// call latency per verb and resource from the server's own `apiserver_request_duration_seconds`
/// (p99 within 1 s for mutating calls and single-object reads, 5 s for namespaced lists, 30 s for
/// cluster lists), pod startup latency (first seen → running observed by the watch; no image pulls
/// with simulated nodes), throughput, and each component's CPU and peak memory.
struct ClusterReport {
    /// One component's cost during the pod phase.
    struct Usage {
        var name: String
        var cpuSeconds: Double
        var peakResidentMiB: Double
    }

    let options: ClusterBenchmark.Options
    let registration: Duration
    let elapsed: Duration
    let pods: PodStartupWatch.Times
    let metrics: ScrapedMetrics
    let usage: [Usage]

    var lines: [String] {
        let total = options.deployments * options.replicas
        let how = options.podRate > 0 ? String(format: "bare pods at %.0f/s", options.podRate) : "Deployments created at once"
        var lines = [
            "", "## Cluster density: \(options.nodes) simulated nodes, \(options.deployments) × \(options.replicas) = \(total) pods (\(how), \(options.storage) storage)", "",
            "| measurement | value |", "|---|---|",
            String(format: "| %d nodes Ready after | %.1f s |", options.nodes, registration.seconds),
            String(format: "| all pods running after | %.1f s (%.0f pods/s end to end) |", elapsed.seconds, Double(total) / elapsed.seconds),
        ]
        let binds = pods.bound.values.sorted()
        if let first = binds.first, let last = binds.last, last > first {
            lines.append(String(format: "| scheduling throughput (first to last bind) | %.0f pods/s |", Double(binds.count) / (last - first).seconds))
        }
        let startup = pods.running.compactMap { uid, running in pods.firstSeen[uid].map { (running - $0).seconds } }.sorted()
        lines.append("| pod startup (first seen → running) p50 / p90 / p99 | " + [0.5, 0.9, 0.99].map { Self.seconds(Self.quantile(startup, $0)) }.joined(separator: " / ") + " |")
        for component in usage {
            lines.append(String(format: "| %@: CPU during the run / peak RSS | %.0f%% of a core / %.0f MiB |",
                                component.name, 100 * component.cpuSeconds / elapsed.seconds, component.peakResidentMiB))
        }
        lines += ["", "API call latency (the server's apiserver_request_duration_seconds over the whole run, quantiles estimated from its buckets "
                  + "as histogram_quantile does; SLO: p99 ≤ 1 s mutating and get, ≤ 5 s namespaced list, ≤ 30 s cluster list):", "",
                  "| verb | resource | scope | calls | p50 | p90 | p99 | SLO |", "|---|---|---|---|---|---|---|---|"]
        lines += apiLatencyRows()
        return lines
    }

    private func apiLatencyRows() -> [String] {
        let name = "apiserver_request_duration_seconds"
        var calls: [[String: String]: Double] = [:]
        for sample in metrics.samples(name + "_count") where !["WATCH", "CONNECT"].contains(sample.labels["verb"] ?? "") {
            let key = sample.labels.filter { ["verb", "group", "resource", "subresource", "scope"].contains($0.key) }
            calls[key, default: 0] += sample.value
        }
        var rows: [String] = []
        var within = 0
        for (index, (labels, count)) in calls.sorted(by: { $0.value > $1.value }).enumerated() {
            let quantiles = [0.5, 0.9, 0.99].map { metrics.quantile($0, of: name, matching: labels) }
            let limit = Self.sloSeconds(verb: labels["verb"] ?? "", scope: labels["scope"] ?? "")
            let met = limit.map { (quantiles[2] ?? 0) <= $0 } ?? true
            guard index < Self.latencyRows || !met else {
                within += 1
                continue
            }
            let group = labels["group"].map { $0.isEmpty ? "" : "." + $0 } ?? ""
            let subresource = labels["subresource"].map { $0.isEmpty ? "" : "/" + $0 } ?? ""
            let resource = (labels["resource"] ?? "").isEmpty ? "-" : (labels["resource"] ?? "") + group + subresource
            let verdict = limit.map { "\(met ? "ok" : "over") (\(Int($0)) s)" } ?? "-"
            rows.append("| \(labels["verb"] ?? "") | \(resource) | \(labels["scope"] ?? "") | \(Int(count)) | "
                + quantiles.map(Self.seconds).joined(separator: " | ") + " | \(verdict) |")
        }
        if within > 0 { rows.append("| … | \(within) more verb/resource pairs, fewer calls, all within their SLO | | | | | | |") }
        return rows
    }

    /// The busiest verb/resource pairs shown (every pair over its SLO is shown too).
    static let latencyRows = 15

    /// Upstream's API call latency SLO for a verb and scope, in seconds (nil: not covered).
    static func sloSeconds(verb: String, scope: String) -> Double? {
        switch (verb, scope) {
        case ("LIST", "cluster"): return 30
        case ("LIST", _): return 5
        case ("GET", "resource"), ("POST", _), ("PUT", _), ("PATCH", _), ("APPLY", _), ("DELETE", _): return 1
        default: return nil
        }
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
        sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))]
    }

    static func seconds(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value < 1 ? String(format: "%.0f ms", value * 1000) : String(format: "%.2f s", value)
    }
}
