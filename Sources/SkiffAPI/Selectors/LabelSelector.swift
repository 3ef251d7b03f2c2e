/// A label selector, as upstream's `labels.Selector`: requirements on an object's labels that must
/// all hold (`env=prod,tier!=db`, `app in (a,b)`, `!legacy`, `replicas>2`).
///
/// The empty selector matches everything; ``nothing`` (what upstream makes of an absent
/// `metav1.LabelSelector`) matches no labels at all. Selectors match plain label maps, so they stay
/// independent of where an object keeps its labels.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// The requirements, sorted by key (stably: requirements on one key keep their order).
    public let requirements: [Requirement]

    /// Whether this is ``nothing``.
    private var selectsNothing = false

    /// The selector that matches everything.
    public init() {
        self.init(requirements: [])
    }

    /// A selector from requirements, sorted by key as upstream's `Selector.Add`.
    public init(requirements: [Requirement]) {
        self.requirements = requirements.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// A selector matching exactly these labels, as upstream's `SelectorFromSet`: `key=value` for
    /// each entry, not validated (the server rejects invalid ones when it parses the string form).
    public init(matchLabels: [String: String]) {
        self.init(requirements: matchLabels.map { Requirement(unchecked: $0.key, .equals, [$0.value]) })
    }

    /// The selector that matches no labels (upstream's `labels.Nothing()`); its string form is empty.
    public static let nothing: LabelSelector = {
        var selector = LabelSelector()
        selector.selectsNothing = true
        return selector
    }()

    /// Parses the string form with upstream's grammar and validation: requirements separated by
    /// commas, each `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key>n`, `key<n`,
    /// `key in (v1,v2)` or `key notin (v1,v2)`; blanks (space, tab, CR, LF) separate tokens.
    ///
    /// Invalid input is `400 BadRequest` with upstream's message, e.g.
    /// `unable to parse requirement: found '', expected: ',', ')' or identifier`.
    public init(parsing text: String) throws(APIError) {
        var parser = LabelSelectorParser(text)
        do {
            self.init(requirements: try parser.parse())
        } catch {
            throw APIError.badRequest(error.message)
        }
    }

    /// Whether the selector does not restrict the selection (no requirements); false for ``nothing``.
    public var isEverything: Bool { requirements.isEmpty && !selectsNothing }

    /// Whether every requirement holds for `labels`.
    public func matches(_ labels: [String: String]) -> Bool {
        !selectsNothing && requirements.allSatisfy { $0.matches(labels) }
    }

    /// The single value the selector requires `label` to have (`label=v`, `label==v` or
    /// `label in (v)`), judged by the first requirement on that label, as upstream's `RequiresExactMatch`.
    public func exactValue(for label: String) -> String? {
        guard let requirement = requirements.first(where: { $0.key == label }) else { return nil }
        switch requirement.operator {
        case .equals, .doubleEquals, .in:
            return requirement.values.count == 1 ? requirement.values[0] : nil
        default:
            return nil
        }
    }

    /// The canonical string form, as upstream's `String()`: requirements in key order joined by
    /// commas (`a in (x,y),b=2,!c`). The string form of a parsed selector parses back to an equal one.
    public var description: String { requirements.map(\.description).joined(separator: ",") }
}
