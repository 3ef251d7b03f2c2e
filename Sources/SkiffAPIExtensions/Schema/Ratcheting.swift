import SkiffAPI

/// Whether a validation error's field is unchanged by an update (upstream's CRD validation
/// ratcheting): the value at the error's path is the same in the old and new object, reached
/// through object members; a list element counts as unchanged only when its whole list is.
enum Ratcheting {
    static func unchanged(at path: String, in new: JSONValue, old: JSONValue) -> Bool {
        var newValue: JSONValue? = new
        var oldValue: JSONValue? = old
        for step in steps(path) {
            switch step {
            case .member(let name):
                newValue = newValue?[name]
                oldValue = oldValue?[name]
            case .index:
                // Lists are correlated as wholes: an equal list has equal elements.
                return newValue == oldValue && newValue != nil
            }
        }
        return newValue == oldValue
    }

    enum Step {
        case member(String)
        case index(Int)
    }

    /// `spec.items[0].name` → member spec, member items, index 0, member name.
    static func steps(_ path: String) -> [Step] {
        var steps: [Step] = []
        for part in path.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                let name = rest[..<bracket]
                if !name.isEmpty { steps.append(.member(String(name))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    steps.append(.index(Int(rest[rest.index(after: rest.startIndex)..<close]) ?? 0))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                steps.append(.member(String(rest)))
            }
        }
        return steps
    }
}
