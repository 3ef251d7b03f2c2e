import SkiffAPI
import SkiffStorage

extension ResourceStore {
    /// Lists objects, following upstream's resourceVersion rules: unset → consistent (served from
    /// the cache once it has caught up with storage, or from storage when paging); `0` → from the
    /// cache, limit ignored; `NotOlderThan` → from the cache; `Exact` and `continue` → from
    /// storage at that revision.
    public func list(namespace: String?, options: ListOptions) async throws -> ListResult {
        let filter = try filter(namespace: namespace, options: options)
        let parameter = try ResourceVersionParameter(options.resourceVersion)
        if let match = options.resourceVersionMatch?.rawValue, !match.isEmpty {
            guard parameter != .unset else {
                throw APIError.badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided")
            }
            if options.continue != nil {
                throw APIError.badRequest("resourceVersionMatch is forbidden when continue is provided")
            }
            switch match {
            case "NotOlderThan": break
            case "Exact":
                guard case .notOlderThan(let revision) = parameter else {
                    throw APIError.badRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"")
                }
                return try await listFromStorage(filter: filter, revision: revision, start: nil, limit: options.limit ?? 0)
            default:
                throw APIError.badRequest("unsupported resourceVersionMatch \"\(match)\": supported values: \"Exact\", \"NotOlderThan\"")
            }
        }
        if let token = options.continue, !token.isEmpty {
            if parameter != .unset { throw APIError.badRequest("specifying resource version is not allowed when using continue") }
            let decoded = try ContinueToken(decoding: token)
            return try await listFromStorage(filter: filter, revision: decoded.revision, start: decoded.start, limit: options.limit ?? 0)
        }
        switch parameter {
        case .unset where (options.limit ?? 0) > 0:
            return try await listFromStorage(filter: filter, revision: 0, start: nil, limit: options.limit ?? 0)
        case .notOlderThan(let revision) where (options.limit ?? 0) > 0 && options.resourceVersionMatch == nil:
            return try await listFromStorage(filter: filter, revision: revision, start: nil, limit: options.limit ?? 0)
        case .unset:
            let revision = try await mapStorageErrors { try await storage.currentRevision() }
            try await cache.waitUntilFresh(revision)
        case .notOlderThan(let revision):
            try await cache.waitUntilFresh(revision)
        case .any:
            // A cache that has not loaded yet (a resource registered a moment ago) is waited for.
            try await cache.waitUntilFresh(0)
        }
        let snapshot = cache.snapshot(filter: filter)
        return ListResult(items: snapshot.objects, revision: snapshot.revision)
    }

    /// A page read from storage at one revision, skipping objects the filter rejects.
    private func listFromStorage(filter: WatchFilter, revision: Int64, start: String?, limit: Int) async throws -> ListResult {
        let prefix = info.keyPrefix(namespace: filter.namespace)
        var request = RangeRequest(prefix: prefix, revision: revision, limit: limit > 0 ? max(limit, 64) : 0)
        if let start { request.start = info.keyPrefix + start }
        if request.start < prefix { request.start = prefix }
        var items: [CachedObject] = []
        var readRevision = revision
        var more = false
        var total: Int?
        pages: while true {
            let page: RangeResult
            do {
                page = try await storage.range(request)
            } catch let error as StorageError where error.code == .compacted {
                if start != nil {
                    throw APIError.expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                }
                throw APIError.expired("The resourceVersion for the provided list is too old.")
            } catch let error as StorageError {
                throw apiError(for: error, name: "")
            }
            readRevision = page.revision
            if total == nil { total = page.count }
            for (index, kv) in page.kvs.enumerated() {
                let object = CachedObject(key: kv.key, object: try await codec.decode(kv), revision: kv.modRevision, strategy: strategy)
                guard filter.matches(object) else { continue }
                items.append(object)
                if limit > 0, items.count == limit {
                    more = index < page.kvs.count - 1 || page.more
                    break pages
                }
            }
            guard page.more, let last = page.kvs.last else { break }
            request.start = last.key + "\u{0}"
            request.revision = readRevision
        }
        var result = ListResult(items: items, revision: readRevision)
        if more, let last = items.last {
            let relative = String(last.key.dropFirst(info.keyPrefix.count)) + "\u{0}"
            result.continueToken = ContinueToken(revision: readRevision, start: relative).encoded()
            if filter.labelSelector.isEverything, filter.fieldSelector.isEverything, let total {
                result.remainingItemCount = Int64(max(0, total - items.count))
            }
        }
        return result
    }

    /// The filter of a list or watch: its namespace and parsed selectors. A field selector on a
    /// field the kind does not index is rejected, as upstream (`400`).
    private func filter(namespace: String?, options: ListOptions) throws(APIError) -> WatchFilter {
        let fieldSelector = try options.parsedFieldSelector()
        try fieldSelector.validateFields(supported: Set(["metadata.name", "metadata.namespace"] + strategy.selectableFields))
        return WatchFilter(namespace: info.namespaced ? namespace : nil, labelSelector: try options.parsedLabelSelector(), fieldSelector: fieldSelector)
    }

    /// Opens a watch (`?watch=true`), served by the cache.
    public func watch(namespace: String?, options: ListOptions) async throws -> WatchSubscription {
        let filter = try filter(namespace: namespace, options: options)
        let from: Int64?
        switch try ResourceVersionParameter(options.resourceVersion) {
        case .unset:
            let revision = try await mapStorageErrors { try await storage.currentRevision() }
            try await cache.waitUntilFresh(revision)
            from = nil
        case .any:
            try await cache.waitUntilFresh(0)
            from = nil
        case .notOlderThan(let revision): from = revision
        }
        return try await cache.watch(filter: filter, fromRevision: from, bookmarks: options.allowWatchBookmarks)
    }
}
