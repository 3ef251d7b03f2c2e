import SkiffAPI
import SkiffRegistry

/// `ListOptions` from query parameters.
enum ListOptionsParser {
    static func parse(_ query: QueryParameters) throws(APIError) -> ListOptions {
        var options = ListOptions()
        if let text = query["labelSelector"], !text.isEmpty { options.labelSelector = try LabelSelector(parsing: text) }
        if let text = query["fieldSelector"], !text.isEmpty { options.fieldSelector = try FieldSelector(parsing: text) }
        options.resourceVersion = query["resourceVersion"]
        options.resourceVersionMatch = query["resourceVersionMatch"]
        if let limit = try query.int("limit") {
            guard limit >= 0 else { throw APIError.badRequest("limit must be a non-negative integer") }
            options.limit = Int(limit)
        }
        options.continueToken = query["continue"]
        if let timeout = try query.int("timeoutSeconds") { options.timeoutSeconds = Int(max(0, timeout)) }
        options.allowWatchBookmarks = try query.bool("allowWatchBookmarks") ?? false
        options.sendInitialEvents = try query.bool("sendInitialEvents")
        return options
    }
}

/// `DeleteOptions` from query parameters and from a request body.
enum DeleteOptionsParser {
    static func parse(_ query: QueryParameters) throws(APIError) -> DeleteOptions {
        var options = DeleteOptions()
        options.gracePeriodSeconds = try query.int("gracePeriodSeconds")
        options.propagationPolicy = query["propagationPolicy"]
        options.orphanDependents = try query.bool("orphanDependents")
        options.dryRun = try DryRun.parse(query)
        try validate(options)
        return options
    }

    static func merge(body: JSONValue, into options: DeleteOptions) throws(APIError) -> DeleteOptions {
        if let kind = body.kind, !kind.isEmpty, kind != "DeleteOptions" {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (DeleteOptions)")
        }
        var options = options
        if let grace = body["gracePeriodSeconds"]?.intValue { options.gracePeriodSeconds = grace }
        if let policy = body["propagationPolicy"]?.stringValue { options.propagationPolicy = policy }
        if let orphan = body["orphanDependents"]?.boolValue { options.orphanDependents = orphan }
        if let uid = body[path: "preconditions", "uid"]?.stringValue { options.preconditionUID = uid }
        if let version = body[path: "preconditions", "resourceVersion"]?.stringValue { options.preconditionResourceVersion = version }
        if let dryRun = body["dryRun"]?.arrayValue, dryRun.contains("All") { options.dryRun = true }
        try validate(options)
        return options
    }

    private static func validate(_ options: DeleteOptions) throws(APIError) {
        if let policy = options.propagationPolicy, !["Orphan", "Background", "Foreground"].contains(policy) {
            throw APIError(code: 422, reason: .invalid,
                message: "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
        }
        if options.propagationPolicy != nil, options.orphanDependents != nil {
            throw APIError(code: 422, reason: .invalid,
                message: "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"\(options.propagationPolicy ?? "")\": orphanDependents and deletionPropagation cannot be both set")
        }
        if let grace = options.gracePeriodSeconds, grace < 0 {
            throw APIError.badRequest("gracePeriodSeconds must be non-negative")
        }
    }
}

/// The `dryRun` parameter: only `All` is defined.
enum DryRun {
    static func parse(_ query: QueryParameters) throws(APIError) -> Bool {
        guard let value = query["dryRun"], !value.isEmpty else { return false }
        guard value == "All" else {
            throw APIError.badRequest("Invalid dry run value: dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
        }
        return true
    }
}
