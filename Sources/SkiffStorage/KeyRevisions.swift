/// What the SQLite backend keeps in memory for each live key: its revisions, enough to check a
/// write's precondition and to find the row holding its value (the row id is the revision).
struct KeyRevisions: Sendable, Hashable {
    var createRevision: Int64
    var modRevision: Int64
}
