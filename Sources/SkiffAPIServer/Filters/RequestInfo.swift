/// What a request asks for, as the filters, authorization and metrics see it (upstream's
/// `request.RequestInfo`): a resource request under `/api` or `/apis` with its verb, group,
/// version, namespace, resource, name and subresource, or a non-resource request (`/healthz`,
/// `/version`, discovery roots) with the lowercased method as its verb.
public struct RequestInfo: Sendable, Hashable {
    public var isResourceRequest = false
    /// The URL path.
    public var path: String
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection` (or
    /// `proxy`) for resource requests; the lowercased HTTP method otherwise.
    public var verb: String
    /// `api` or `apis`, for resource requests.
    public var apiPrefix = ""
    public var apiGroup = ""
    public var apiVersion = ""
    public var namespace = ""
    public var resource = ""
    public var subresource = ""
    public var name = ""
    /// The path segments from the resource on.
    public var parts: [String] = []

    public init(path: String, verb: String) {
        self.path = path
        self.verb = verb
    }

    /// The verbs that change nothing; every other verb counts against the mutating in-flight limit.
    static let readOnlyVerbs: Set<String> = ["get", "list", "watch"]

    /// Whether the request may run for a long time and so is left out of the in-flight limits
    /// (upstream's `BasicLongRunningRequestCheck`): watches and proxies, and the attach, exec,
    /// log, port-forward and proxy subresources.
    public var isLongRunning: Bool {
        ["watch", "proxy"].contains(verb) || ["attach", "exec", "proxy", "log", "portforward"].contains(subresource)
    }
}
