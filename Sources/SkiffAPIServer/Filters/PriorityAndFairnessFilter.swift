import CoreMetrics
import SkiffAPI

/// API priority and fairness (upstream's `WithPriorityAndFairness`): classifies each request to
/// a FlowSchema and its priority level, answers with the `X-Kubernetes-PF-FlowSchema-UID` and
/// `X-Kubernetes-PF-PriorityLevel-UID` headers, and serves it when its level has a seat: at
/// once for an exempt level, else after waiting in one of the level's queues. A request that
/// cannot be queued, or waits too long, gets `429` with upstream's adaptive `Retry-After`
/// (`DroppedRequestsTracker`). Long-running requests other than watches are not classified; a
/// watch holds its seat until its response starts. Counted in upstream's
/// `apiserver_flowcontrol_*` metrics.
struct PriorityAndFairnessFilter: RequestFilter {
    static let flowSchemaHeader = "X-Kubernetes-PF-FlowSchema-UID"
    static let priorityLevelHeader = "X-Kubernetes-PF-PriorityLevel-UID"

    let dispatcher: FlowControlDispatcher
    let factory: any MetricsFactory

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let info = context.requestInfo
        if info.isLongRunning && info.verb != "watch" { return await next(request, context) }
        let user = context.user ?? UserInfo(name: UserInfo.anonymous, groups: [UserInfo.allUnauthenticated])
        let classification = dispatcher.currentConfiguration().classify(user, info)
        let level = classification.priorityLevel
        let labels = [("flow_schema", classification.flowSchema.name), ("priority_level", level.name)]
        var response: HTTPResponse
        if level.isExempt {
            response = await serve(request, context, labels: labels, next: next)
        } else {
            let hash = ShuffleShardDealer.hash(classification.flowSchema.name, classification.flowDistinguisher)
            let inQueue = Meter(label: "apiserver_flowcontrol_current_inqueue_requests", dimensions: labels, factory: factory)
            switch await dispatcher.admit(level: level, flowHash: hash, queued: { $0 ? inQueue.increment() : inQueue.decrement() }) {
            case .dispatched:
                defer { dispatcher.release(level: level.name) }
                response = await serve(request, context, labels: labels, next: next)
            case .rejected(let reason):
                Counter(label: "apiserver_flowcontrol_rejected_requests_total", dimensions: labels + [("reason", reason)], factory: factory).increment()
                response = .tooManyRequests(retryAfterSeconds: Int(dispatcher.retryAfterRejection(by: level.name)))
            }
        }
        response.headers.replaceOrAdd(name: Self.flowSchemaHeader, value: classification.flowSchema.uid)
        response.headers.replaceOrAdd(name: Self.priorityLevelHeader, value: level.uid)
        return response
    }

    private func serve(_ request: HTTPRequest, _ context: RequestContext, labels: [(String, String)], next: RequestResponder) async -> HTTPResponse {
        Counter(label: "apiserver_flowcontrol_dispatched_requests_total", dimensions: labels, factory: factory).increment()
        let executing = Meter(label: "apiserver_flowcontrol_current_executing_requests", dimensions: labels, factory: factory)
        executing.increment()
        defer { executing.decrement() }
        return await next(request, context)
    }
}
