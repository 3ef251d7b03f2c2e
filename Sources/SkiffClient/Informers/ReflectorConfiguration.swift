/// How a reflector lists and watches.
public struct ReflectorConfiguration: Sendable {
    /// Items per list page.
    public var pageSize = 500
    /// The first wait after a failure, doubled each time up to `maximumBackoff` (client-go: 800 ms, 30 s).
    public var initialBackoff: Duration = .milliseconds(800)
    public var maximumBackoff: Duration = .seconds(30)
    /// How long one watch lasts on the server before it is renewed (client-go: 5–10 minutes).
    public var watchTimeoutSeconds = 300
    /// Re-deliver every object this often (nil: never).
    public var resyncPeriod: Duration?
    /// A label selector applied to the list and the watch.
    public var labelSelector: String?
    /// A field selector applied to the list and the watch.
    public var fieldSelector: String?

    public init() {}
}
