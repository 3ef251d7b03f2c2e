import SkiffAPI

extension LabelSelector {
    /// The selector a typed `metav1.LabelSelector` describes, as upstream's
    /// `LabelSelectorAsSelector`: `key=value` for each `matchLabels` entry and each
    /// `matchExpressions` entry with its operator (`In`, `NotIn`, `Exists`, `DoesNotExist`). No
    /// requirements select everything; nil (no selector) selects ``nothing``. An invalid key,
    /// value or operator is thrown as `400 BadRequest`, as upstream's `NewRequirement` rejects it.
    public init(_ selector: MetaV1.LabelSelector?) throws(APIError) {
        guard let selector else {
            self = .nothing
            return
        }
        var requirements: [Requirement] = []
        for (key, value) in (selector.matchLabels ?? [:]).sorted(by: { $0.key < $1.key }) {
            requirements.append(try Requirement(key: key, operator: .equals, values: [value]))
        }
        for expression in selector.matchExpressions ?? [] {
            let operators: [String: Requirement.Operator] = ["In": .in, "NotIn": .notIn, "Exists": .exists, "DoesNotExist": .doesNotExist]
            guard let op = operators[expression.operator] else {
                throw APIError.badRequest("\"\(expression.operator)\" is not a valid label selector operator")
            }
            requirements.append(try Requirement(key: expression.key, operator: op, values: expression.values ?? []))
        }
        self.init(requirements: requirements)
    }
}
