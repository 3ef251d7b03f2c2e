import ArgumentParser
import Logging
import SkiffAPIServer

/// The audit log's flags, as kube-apiserver's: a policy and a log path (or a webhook, see
/// `AuditWebhookOptions`) together turn it on (either alone records nothing, as upstream). A
/// policy that records every request's metadata:
///
///     apiVersion: audit.k8s.io/v1
///     kind: Policy
///     omitStages: [RequestReceived]
///     rules:
///       - level: None
///         nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version"]
///       - level: RequestResponse
///         resources: [{group: "", resources: ["configmaps"]}]
///       - level: Metadata
struct AuditOptions: ParsableArguments {
    @Option(name: .customLong("audit-policy-file"), help: "An audit.k8s.io/v1 Policy (YAML or JSON): which requests the audit log records, and at what level.")
    var policyFile: String?

    @Option(name: .customLong("audit-log-path"), help: "Where audit events are written as JSON lines ('-': standard output).")
    var logPath: String?

    @Option(name: .customLong("audit-log-maxsize"), help: "Megabytes the audit log grows to before it is rotated (0: 100).")
    var maxSize: Int = 0

    @Option(name: .customLong("audit-log-maxbackup"), help: "Rotated audit logs kept (0: all).")
    var maxBackup: Int = 0

    @Option(name: .customLong("audit-log-maxage"), help: "Days a rotated audit log is kept (0: no limit).")
    var maxAge: Int = 0

    @Option(name: .customLong("audit-log-format"), help: "The audit log's format: json (one Event a line) or legacy (one text line an event).")
    var format: String = "json"

    @OptionGroup var webhook: AuditWebhookOptions

    func validate() throws {
        guard ["json", "legacy"].contains(format) else {
            throw ValidationError("--audit-log-format: \"\(format)\" is not one of json, legacy")
        }
        if maxSize < 0 || maxBackup < 0 || maxAge < 0 { throw ValidationError("--audit-log-maxsize, --audit-log-maxbackup and --audit-log-maxage must not be negative") }
    }

    /// Turns the audit log and webhook on in `options` when a policy and a log path or webhook
    /// configuration are given; a policy or webhook configuration that cannot be read stops the
    /// server from starting.
    func apply(to options: inout APIServer.Options, logger: Logger) throws {
        var sinks: [any AuditSink] = []
        if let logPath, !logPath.isEmpty {
            sinks.append(AuditLogBackend(path: logPath, maxSizeMB: maxSize, maxBackups: maxBackup, maxAgeDays: maxAge,
                                         legacy: format == "legacy", logger: logger))
        }
        guard let policyFile, !sinks.isEmpty || webhook.configFile != nil else {
            if policyFile != nil { logger.warning("--audit-policy-file without --audit-log-path or --audit-webhook-config-file: no audit") }
            return
        }
        options.auditPolicy = try AuditPolicy.load(path: policyFile)
        if let backend = try webhook.backend(logger: logger) { sinks.append(backend) }
        options.auditSink = sinks.count == 1 ? sinks[0] : AuditSinks(sinks)
    }
}
