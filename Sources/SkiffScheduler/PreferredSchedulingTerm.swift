import SkiffClient

/// A weighted preference (`preferredDuringSchedulingIgnoredDuringExecution[]`).
struct PreferredSchedulingTerm: Sendable, Hashable {
    var weight: Int64
    var term: NodeSelectorTerm
}
