/// Options of a get (`metav1.GetOptions`).
public struct GetOptions: QueryOptions, Hashable {
    /// `""` (the latest, a consistent read), `"0"` (any cached version) or a resourceVersion.
    public var resourceVersion: String?

    public init(resourceVersion: String? = nil) {
        self.resourceVersion = resourceVersion
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

/// Options of a list or watch (`metav1.ListOptions`).
public struct ListOptions: QueryOptions, Hashable {
    /// A label selector (`app=web,tier!=db`).
    public var labelSelector: String?
    /// A field selector (`metadata.name=x`).
    public var fieldSelector: String?
    public var resourceVersion: String?
    public var resourceVersionMatch: ResourceVersionMatch?
    /// The most items in one page; the server then returns a `continue` token.
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
}

/// How the server treats fields it does not know (`fieldValidation`).
public struct FieldValidation: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Reject the request.
    public static let strict = FieldValidation(rawValue: "Strict")
    /// Drop the fields and say so in a `Warning` header (the server's default).
    public static let warn = FieldValidation(rawValue: "Warn")
    /// Drop the fields silently.
    public static let ignore = FieldValidation(rawValue: "Ignore")
}

/// Options of a create (`metav1.CreateOptions`).
public struct CreateOptions: QueryOptions, Hashable {
    /// Validate and default, but persist nothing.
    public var dryRun = false
    /// The actor the change is recorded under in `managedFields`.
    public var fieldManager: String?
    public var fieldValidation: FieldValidation?

    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: FieldValidation? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.fieldValidation = fieldValidation
    }

    public var queryItems: [QueryItem] {
        writeQueryItems(dryRun: dryRun, fieldManager: fieldManager, fieldValidation: fieldValidation)
    }
}

/// Options of an update (`metav1.UpdateOptions`).
public struct UpdateOptions: QueryOptions, Hashable {
    public var dryRun = false
    public var fieldManager: String?
    public var fieldValidation: FieldValidation?

    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: FieldValidation? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.fieldValidation = fieldValidation
    }

    public var queryItems: [QueryItem] {
        writeQueryItems(dryRun: dryRun, fieldManager: fieldManager, fieldValidation: fieldValidation)
    }
}

/// Options of a patch (`metav1.PatchOptions`).
public struct PatchOptions: QueryOptions, Hashable {
    public var dryRun = false
    /// Required for server-side apply.
    public var fieldManager: String?
    /// Apply only: take over fields other managers own instead of failing with a conflict.
    public var force = false
    public var fieldValidation: FieldValidation?

    public init(dryRun: Bool = false, fieldManager: String? = nil, force: Bool = false, fieldValidation: FieldValidation? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.force = force
        self.fieldValidation = fieldValidation
    }

    public var queryItems: [QueryItem] {
        var items = writeQueryItems(dryRun: dryRun, fieldManager: fieldManager, fieldValidation: fieldValidation)
        if force { items.append(QueryItem("force", "true")) }
        return items
    }
}

private func writeQueryItems(dryRun: Bool, fieldManager: String?, fieldValidation: FieldValidation?) -> [QueryItem] {
    var items: [QueryItem] = []
    if dryRun { items.append(QueryItem("dryRun", "All")) }
    if let fieldManager, !fieldManager.isEmpty { items.append(QueryItem("fieldManager", fieldManager)) }
    if let fieldValidation { items.append(QueryItem("fieldValidation", fieldValidation.rawValue)) }
    return items
}

/// The format of a patch body, sent as the request's content type.
public struct PatchType: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// RFC 6902 JSON patch: a list of operations.
    public static let json = PatchType(rawValue: "application/json-patch+json")
    /// RFC 7386 JSON merge patch.
    public static let merge = PatchType(rawValue: "application/merge-patch+json")
    /// Kubernetes strategic merge patch (lists merged by key where the schema says so).
    public static let strategicMerge = PatchType(rawValue: "application/strategic-merge-patch+json")
    /// Server-side apply of a whole intended object (needs `PatchOptions.fieldManager`).
    public static let apply = PatchType(rawValue: "application/apply-patch+yaml")
}
