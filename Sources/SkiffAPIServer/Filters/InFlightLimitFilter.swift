import SkiffAPI
import Synchronization

/// Caps the requests served at once (upstream's `--max-requests-inflight` and
/// `--max-mutating-requests-inflight`): one over its limit gets `429` with upstream's plain-text
/// answer and `Retry-After: 1`. Long-running requests (watches, logs) are not counted, and
/// `system:masters` is never turned away, as upstream. The filter of a server with priority and
/// fairness off (`--enable-priority-and-fairness=false`).
final class InFlightLimitFilter: RequestFilter {
    /// The limits; 0 means none.
    let maxReadOnly: Int
    let maxMutating: Int
    private let inFlight = Mutex<(readOnly: Int, mutating: Int)>((0, 0))

    init(maxReadOnly: Int, maxMutating: Int) {
        self.maxReadOnly = maxReadOnly
        self.maxMutating = maxMutating
    }

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let info = context.requestInfo
        if info.isLongRunning { return await next(request, context) }
        let mutating = !RequestInfo.readOnlyVerbs.contains(info.verb)
        let limit = mutating ? maxMutating : maxReadOnly
        if limit == 0 { return await next(request, context) }
        let admitted = inFlight.withLock { counts in
            let current = mutating ? counts.mutating : counts.readOnly
            guard current < limit else { return false }
            if mutating { counts.mutating += 1 } else { counts.readOnly += 1 }
            return true
        }
        guard admitted else {
            if context.user?.groups.contains(UserInfo.privilegedGroup) == true { return await next(request, context) }
            return .tooManyRequests(retryAfterSeconds: 1)
        }
        defer { inFlight.withLock { counts in if mutating { counts.mutating -= 1 } else { counts.readOnly -= 1 } } }
        return await next(request, context)
    }
}
