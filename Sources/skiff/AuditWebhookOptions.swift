import ArgumentParser
import Logging
import SkiffAPIServer
import SkiffClient

extension AuditWebhookBackend.Mode: ExpressibleByArgument {}

/// The audit webhook's flags, as kube-apiserver's: with `--audit-policy-file`, the events the
/// policy keeps are POSTed as `EventList`s to the server of a kubeconfig file (its cluster's
/// `server` URL, CA and its user's credentials).
struct AuditWebhookOptions: ParsableArguments {
    @Option(name: .customLong("audit-webhook-config-file"), help: "A kubeconfig naming the audit webhook: where events are POSTed and how to connect.")
    var configFile: String?

    @Option(name: .customLong("audit-webhook-mode"), help: "batch (buffered, sent asynchronously), blocking or blocking-strict (each event sent before the request goes on).")
    var mode: AuditWebhookBackend.Mode = .batch

    @Option(name: .customLong("audit-webhook-batch-buffer-size"), help: "Events buffered before new ones are dropped (batch mode).")
    var bufferSize = 10_000

    @Option(name: .customLong("audit-webhook-batch-max-size"), help: "Events sent in one request at most (batch mode).")
    var maxSize = 400

    @Option(name: .customLong("audit-webhook-batch-max-wait"), help: "How long an event waits at most before its batch is sent (batch mode).")
    var maxWait = DurationFlag(.seconds(30))

    func validate() throws {
        if bufferSize <= 0 || maxSize <= 0 { throw ValidationError("--audit-webhook-batch-buffer-size and --audit-webhook-batch-max-size must be positive") }
        if maxWait.duration <= .zero { throw ValidationError("--audit-webhook-batch-max-wait must be positive") }
    }

    /// The webhook backend the flags describe; nil without a config file. A kubeconfig that
    /// cannot be read stops the server from starting.
    func backend(logger: Logger) throws -> AuditWebhookBackend? {
        guard let configFile else { return nil }
        let client = try RESTClient(configuration: ClientConfiguration.load(rules: .environment(explicitPath: configFile)))
        var batching = AuditWebhookBackend.Batching()
        batching.bufferSize = bufferSize
        batching.maxSize = maxSize
        batching.maxWait = maxWait.duration
        return AuditWebhookBackend(mode: mode, batching: batching, logger: logger, send: { body in
            var request = APIRequest(.POST, path: "")
            request.body = body
            request.contentType = "application/json"
            try await client.send(request)
        }, close: {
            try? await client.shutdown()
        })
    }
}
