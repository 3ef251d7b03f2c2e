import SkiffAPI

/// The `resourceVersion` query parameter of a read.
enum ResourceVersionParameter: Equatable {
    /// Unset: the most recent state, consistent with storage.
    case unset
    /// `0`: any state, served from the cache.
    case any
    /// A revision: a state not older than it.
    case notOlderThan(Int64)

    init(_ text: String?) throws(APIError) {
        guard let text, !text.isEmpty else {
            self = .unset
            return
        }
        guard let value = Int64(text), value >= 0 else {
            throw APIError.badRequest("invalid resource version \"\(text)\"")
        }
        self = value == 0 ? .any : .notOlderThan(value)
    }
}
