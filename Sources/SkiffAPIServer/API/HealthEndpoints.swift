import Logging
import NIOHTTP1
import SkiffAPI
import SkiffStorage

/// `/healthz`, `/livez` and `/readyz` as kube-apiserver serves them: each runs its named checks
/// (`ping`, `log`, `etcd`; `/readyz` also `etcd-readiness` and `informer-sync`) and answers `ok`
/// when all pass (`?verbose`: a `[+]name ok` line per check, then `<endpoint> check passed`), or
/// 500 with every check's line, `[-]name failed: reason withheld` for the failed ones, then
/// `<endpoint> check failed` (the reasons go to the log only). `?exclude=name` skips a check;
/// `/<endpoint>/<name>` runs one check alone. The `etcd` checks read the key `/registry/health`
/// from the storage, whichever backend it is, with upstream's 2 second timeout.
struct HealthEndpoints: Sendable {
    /// One named check: nil when it passes, else why it fails.
    struct Check: Sendable {
        let name: String
        let run: @Sendable () async -> String?
    }

    static let storageTimeout = Duration.seconds(2)
    private let checks: [String: [Check]]
    private let logger: Logger

    init(storage: any Storage, readiness: Readiness, logger: Logger) {
        let ping = Check(name: "ping") { nil }
        let log = Check(name: "log") { nil }
        let etcd = Check(name: "etcd") { await Self.probe(storage) }
        let etcdReadiness = Check(name: "etcd-readiness") { await Self.probe(storage) }
        let informerSync = Check(name: "informer-sync") { readiness.isReady ? nil : "the watch caches have not loaded yet" }
        checks = [
            "healthz": [ping, log, etcd],
            "livez": [ping, log, etcd],
            "readyz": [ping, log, etcd, etcdReadiness, informerSync],
        ]
        self.logger = logger
    }

    /// The answer of `endpoint` (`healthz`, `livez` or `readyz`), or of its check `name`; nil for
    /// a check it does not have.
    func serve(_ endpoint: String, check name: String?, query: QueryParameters) async -> HTTPResponse? {
        guard let all = checks[endpoint] else { return nil }
        if let name {
            guard let check = all.first(where: { $0.name == name }) else { return nil }
            guard let reason = await check.run() else { return .text("ok") }
            return .text("internal server error: \(reason)\n", status: .internalServerError)
        }
        var excluded = Set(query.all("exclude"))
        var lines = ""
        var failures: [String] = []
        for check in all {
            if excluded.remove(check.name) != nil {
                lines += "[+]\(check.name) excluded: ok\n"
            } else if let reason = await check.run() {
                lines += "[-]\(check.name) failed: reason withheld\n"
                failures.append("[-]\(check.name) failed: \(reason)")
            } else {
                lines += "[+]\(check.name) ok\n"
            }
        }
        if !excluded.isEmpty {
            let names = excluded.sorted().map { "\"\($0)\"" }.joined(separator: ",")
            lines += "warn: some health checks cannot be excluded: no matches for \(names)\n"
        }
        guard failures.isEmpty else {
            logger.info("\(endpoint) check failed", metadata: ["checks": "\(failures.joined(separator: "; "))"])
            return .text("\(lines)\(endpoint) check failed\n", status: .internalServerError)
        }
        return query["verbose"] == nil ? .text("ok") : .text("\(lines)\(endpoint) check passed\n")
    }

    /// Whether the storage answers a read within the timeout.
    private static func probe(_ storage: any Storage) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    _ = try await storage.get("/registry/health", revision: 0)
                    return nil
                } catch {
                    return "error getting data from storage: \(error)"
                }
            }
            group.addTask {
                try? await Task.sleep(for: storageTimeout)
                return "no answer from storage within \(storageTimeout)"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
