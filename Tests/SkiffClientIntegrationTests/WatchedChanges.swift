import SkiffAPI
import SkiffClient
import Testing

/// The first `count` changes a watch delivers, as `added V`, `modified V` and `deleted NAME`
/// (`value` gives an object's V); bookmarks are skipped and errors recorded as issues.
func watchedChanges<Object: Sendable>(
    _ events: WatchStream<Object>, count: Int, value: (Object) -> String, name: (Object) -> String
) async throws -> [String] {
    var seen: [String] = []
    for try await event in events {
        switch event {
        case .added(let object): seen.append("added \(value(object))")
        case .modified(let object): seen.append("modified \(value(object))")
        case .deleted(let object): seen.append("deleted \(name(object))")
        case .bookmark: continue
        case .error(let error): Issue.record("watch error \(error)")
        }
        if seen.count == count { break }
    }
    return seen
}
