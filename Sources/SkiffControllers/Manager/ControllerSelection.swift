/// Which controllers run: the `--controllers` list of upstream's kube-controller-manager. `*`
/// turns on every controller not disabled by default, `foo` turns `foo` on, `-foo` turns it off;
/// the first entry naming a controller decides, and without `*` only named controllers run.
/// Aliases are accepted and stand for their canonical name.
public struct ControllerSelection: Sendable, Equatable {
    /// The entries, aliases resolved (`*`, `name` or `-name`).
    public let entries: [String]

    /// `*`: every controller enabled by default (upstream's default).
    public static let all = ControllerSelection(canonical: ["*"])

    /// The selection `entries` (each may hold several comma-separated names) make among
    /// `descriptors`; throws `UnknownControllers` for names that are none of theirs.
    public init(_ entries: [String], descriptors: [ControllerDescriptor] = ControllerDescriptor.builtin) throws {
        var canonicalNames: [String: String] = [:]
        for descriptor in descriptors {
            canonicalNames[descriptor.name] = descriptor.name
            for alias in descriptor.aliases { canonicalNames[alias] = descriptor.name }
        }
        var resolved: [String] = []
        var unknown: [String] = []
        for entry in entries.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: true) }).map(String.init) {
            if entry == "*" {
                resolved.append(entry)
                continue
            }
            let disables = entry.hasPrefix("-")
            let name = disables ? String(entry.dropFirst()) : entry
            guard let canonical = canonicalNames[name] else {
                unknown.append(name)
                continue
            }
            resolved.append(disables ? "-" + canonical : canonical)
        }
        guard unknown.isEmpty else { throw UnknownControllers(names: unknown) }
        self.init(canonical: resolved)
    }

    private init(canonical entries: [String]) {
        self.entries = entries
    }

    /// Whether the controller `descriptor` describes runs (upstream's `IsControllerEnabled`).
    public func isEnabled(_ descriptor: ControllerDescriptor) -> Bool {
        var hasStar = false
        for entry in entries {
            if entry == descriptor.name { return true }
            if entry == "-" + descriptor.name { return false }
            if entry == "*" { hasStar = true }
        }
        return hasStar && !descriptor.isDisabledByDefault
    }

    /// Names in `--controllers` that are no controller's, reported in upstream's words.
    public struct UnknownControllers: Error, Equatable, CustomStringConvertible {
        /// The unknown names, without a leading `-`.
        public var names: [String]

        /// `"foo" is not in the list of known controllers`, several of them in brackets as
        /// upstream's aggregated errors.
        public var description: String {
            let messages = names.map { "\"\($0)\" is not in the list of known controllers" }
            return messages.count == 1 ? messages[0] : "[" + messages.joined(separator: ", ") + "]"
        }
    }
}
