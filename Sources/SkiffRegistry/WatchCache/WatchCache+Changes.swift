extension WatchCache {
    /// What changed since a reader last looked, for readers that keep their own index of the
    /// objects: the events after `revision`, oldest first, and the revision they bring the reader
    /// to. Nil when the cache cannot tell (not ready yet, or relisted or evicted those events
    /// since): the reader then starts again from a `snapshot`.
    public func changes(after revision: Int64) -> (events: [WatchCacheEvent], revision: Int64)? {
        readState { state in
            guard state.ready, revision >= state.historyStart else { return nil }
            guard revision < state.revision else { return ([], revision) }
            return (state.history.events(after: revision), state.revision)
        }
    }
}
