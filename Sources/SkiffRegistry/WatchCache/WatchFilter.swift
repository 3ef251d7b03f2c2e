import SkiffAPI

/// Which objects a list or watch is about: a namespace and label/field selectors.
public struct WatchFilter: Sendable {
    public var namespace: String?
    public var labelSelector: LabelSelector
    public var fieldSelector: FieldSelector

    public init(namespace: String? = nil, labelSelector: LabelSelector = LabelSelector(), fieldSelector: FieldSelector = FieldSelector()) {
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    /// Whether a cached object is selected.
    public func matches(_ object: CachedObject) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        return labelSelector.matches(object.labels) && fieldSelector.matches(object.fields)
    }

    /// Whether an object is selected.
    public func matches(_ object: JSONValue, strategy: any ResourceStrategy) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        guard labelSelector.matches(object.labels) else { return false }
        if fieldSelector.isEverything { return true }
        var fields = strategy.fieldValues(of: object)
        fields["metadata.name"] = object.name ?? ""
        fields["metadata.namespace"] = object.namespace ?? ""
        return fieldSelector.matches(fields)
    }

    /// Turns a cache event into what this watcher sees: an object entering the selection is
    /// ADDED, one leaving it is DELETED, as upstream does. `nil` when the watcher sees nothing.
    public func project(_ event: WatchCacheEvent) -> WatchCacheEvent? {
        switch event.kind {
        case .bookmark:
            return event
        case .added:
            guard let object = event.object, matches(object) else { return nil }
            return event
        case .deleted:
            guard let object = event.object, matches(object) else { return nil }
            return event
        case .modified:
            let now = event.object.map(matches) ?? false
            let before = event.previous.map(matches) ?? false
            switch (before, now) {
            case (true, true): return event
            case (false, true): return WatchCacheEvent(kind: .added, object: event.object, previous: nil, revision: event.revision)
            case (true, false):
                return WatchCacheEvent(kind: .deleted, object: event.object, previous: event.previous, revision: event.revision)
            case (false, false): return nil
            }
        }
    }
}
