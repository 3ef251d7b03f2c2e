import SkiffAPI
import SkiffModels

/// The completion indexes of an Indexed job and their text form in `status.completedIndexes`
/// (`1,3-5,7`: ascending, consecutive runs written `first-last`).
enum JobCompletionIndexes {
    /// The annotation (and label) holding a pod's completion index.
    static let key = "batch.kubernetes.io/job-completion-index"

    /// The pod's completion index, if it has a valid one.
    static func index(of pod: CoreV1.Pod) -> Int? {
        guard let text = pod.metadata?.annotations?[key], let index = Int(text), index >= 0 else { return nil }
        return index
    }

    /// Parses `1,3-5`, ignoring indexes at or above `completions` and malformed parts.
    static func parse(_ text: String, completions: Int) -> Set<Int> {
        var indexes: Set<Int> = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).compactMap { Int($0) }
            guard let first = bounds.first, let last = bounds.last, first <= last else { continue }
            for index in first...min(last, completions - 1) where index >= 0 { indexes.insert(index) }
        }
        return indexes
    }

    /// The text form of `indexes`: ascending, consecutive runs written `first-last`.
    static func format(_ indexes: Set<Int>) -> String {
        var parts: [String] = []
        var run: (first: Int, last: Int)?
        for index in indexes.sorted() {
            if let current = run, index == current.last + 1 {
                run = (current.first, index)
                continue
            }
            if let current = run { parts.append(text(current)) }
            run = (index, index)
        }
        if let current = run { parts.append(text(current)) }
        return parts.joined(separator: ",")
    }

    private static func text(_ run: (first: Int, last: Int)) -> String {
        run.first == run.last ? "\(run.first)" : "\(run.first)-\(run.last)"
    }
}
