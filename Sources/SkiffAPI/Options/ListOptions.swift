/// Options of a get (`metav1.GetOptions`).
public struct GetOptions: QueryOptions, Hashable {
    /// `""` (the latest, a consistent read), `"0"` (any cached version) or a resourceVersion.
    public var resourceVersion: String?

    public init(resourceVersion: String? = nil) {
        self.resourceVersion = resourceVersion
    }

    /// The options a request's query asks for.
    public init(query: QueryParameters) {
        resourceVersion = query["resourceVersion"]
    }

    public var queryItems: [QueryItem] {
        resourceVersion.map { [QueryItem("resourceVersion", $0)] } ?? []
    }
}

/// How a list or watch interprets its `resourceVersion` (`metav1.ResourceVersionMatch`).
public struct ResourceVersionMatch: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Data at least as new as the resourceVersion.
    public static let notOlderThan = ResourceVersionMatch(rawValue: "NotOlderThan")
    /// Data at exactly the resourceVersion.
    public static let exact = ResourceVersionMatch(rawValue: "Exact")
}

/// Options of a list or watch (`metav1.ListOptions`). The selectors are kept as written; the
/// server checks them when it decodes a request and parses them where it filters.
public struct ListOptions: QueryOptions, Hashable {
    /// A label selector (`app=web,tier!=db`).
    public var labelSelector: String?
    /// A field selector (`metadata.name=x`).
    public var fieldSelector: String?
    public var resourceVersion: String?
    public var resourceVersionMatch: ResourceVersionMatch?
    /// The most items in one page; the server then returns a `continue` token. Nil or 0: no limit.
    public var limit: Int?
    /// The token of the next page.
    public var `continue`: String?
    /// How long a watch (or list) may last on the server.
    public var timeoutSeconds: Int?
    /// Ask for BOOKMARK events in a watch.
    public var allowWatchBookmarks = false
    /// Start a watch with the current objects as ADDED events, then a BOOKMARK.
    public var sendInitialEvents: Bool?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
        resourceVersionMatch: ResourceVersionMatch? = nil, limit: Int? = nil, continue: String? = nil,
        timeoutSeconds: Int? = nil, allowWatchBookmarks: Bool = false, sendInitialEvents: Bool? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.limit = limit
        self.continue = `continue`
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
        self.sendInitialEvents = sendInitialEvents
    }

    /// The options a request's query asks for; a malformed selector, a negative limit or a value
    /// that is not a number or boolean where one is expected is a `400`.
    public init(query: QueryParameters) throws(APIError) {
        self.init()
        if let text = query["labelSelector"], !text.isEmpty {
            _ = try LabelSelector(parsing: text)
            labelSelector = text
        }
        if let text = query["fieldSelector"], !text.isEmpty {
            _ = try FieldSelector(parsing: text)
            fieldSelector = text
        }
        resourceVersion = query["resourceVersion"]
        resourceVersionMatch = query["resourceVersionMatch"].map(ResourceVersionMatch.init(rawValue:))
        if let limit = try query.int("limit") {
            guard limit >= 0 else { throw APIError.badRequest("limit must be a non-negative integer") }
            self.limit = Int(limit)
        }
        self.continue = query["continue"]
        if let timeout = try query.int("timeoutSeconds") { timeoutSeconds = Int(max(0, timeout)) }
        allowWatchBookmarks = try query.bool("allowWatchBookmarks") ?? false
        sendInitialEvents = try query.bool("sendInitialEvents")
    }

    public var queryItems: [QueryItem] {
        var items: [QueryItem] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(QueryItem("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(QueryItem("fieldSelector", fieldSelector)) }
        if let resourceVersion { items.append(QueryItem("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(QueryItem("resourceVersionMatch", resourceVersionMatch.rawValue)) }
        if let limit, limit > 0 { items.append(QueryItem("limit", String(limit))) }
        if let next = self.continue, !next.isEmpty { items.append(QueryItem("continue", next)) }
        if let timeoutSeconds { items.append(QueryItem("timeoutSeconds", String(timeoutSeconds))) }
        if allowWatchBookmarks { items.append(QueryItem("allowWatchBookmarks", "true")) }
        if let sendInitialEvents { items.append(QueryItem("sendInitialEvents", String(sendInitialEvents))) }
        return items
    }

    /// The label selector parsed; everything when unset.
    public func parsedLabelSelector() throws(APIError) -> LabelSelector {
        guard let labelSelector, !labelSelector.isEmpty else { return LabelSelector() }
        return try LabelSelector(parsing: labelSelector)
    }

    /// The field selector parsed; everything when unset.
    public func parsedFieldSelector() throws(APIError) -> FieldSelector {
        guard let fieldSelector, !fieldSelector.isEmpty else { return FieldSelector() }
        return try FieldSelector(parsing: fieldSelector)
    }
}
