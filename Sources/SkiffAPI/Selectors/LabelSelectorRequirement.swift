extension LabelSelector {
    /// One requirement on one label, as upstream's `labels.Requirement`.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// How a requirement relates its label to its values (upstream's `selection.Operator`;
        /// the raw values are upstream's).
        public enum Operator: String, Sendable, Hashable, CaseIterable {
            /// `key=value`.
            case equals = "="
            /// `key==value`, the same as `=`.
            case doubleEquals = "=="
            /// `key!=value`: the label is missing or has another value.
            case notEquals = "!="
            /// `key in (a,b)`: the label has one of the values.
            case `in` = "in"
            /// `key notin (a,b)`: the label is missing or has none of the values.
            case notIn = "notin"
            /// `key`: the label is present.
            case exists = "exists"
            /// `!key`: the label is missing.
            case doesNotExist = "!"
            /// `key>n`: the label is an integer greater than `n`.
            case greaterThan = "gt"
            /// `key<n`: the label is an integer less than `n`.
            case lessThan = "lt"
        }

        /// The label key.
        public let key: String
        public let `operator`: Operator
        /// The values, in the order given (parsing sorts them and drops duplicates): one for `=`,
        /// `==`, `!=`, `>` and `<`, at least one for `in` and `notin`, none for the others.
        public let values: [String]

        /// A validated requirement, as upstream's `NewRequirement`: the key must be a label key,
        /// the values label values and as many as the operator takes, and `>`/`<` take an integer.
        /// Problems are `400 BadRequest` with upstream's message (`key: Invalid value: …`, or several
        /// in brackets).
        public init(key: String, operator: Operator, values: [String]) throws(APIError) {
            let problems = Self.problems(key: key, operator: `operator`, values: values)
            guard problems.isEmpty else { throw APIError.badRequest(Self.aggregate(problems)) }
            self.init(unchecked: key, `operator`, values)
        }

        /// A requirement whose parts are known to be valid, or deliberately not validated.
        init(unchecked key: String, _ operator: Operator, _ values: [String]) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }

        /// Whether the requirement holds for `labels`; `!=` and `notin` hold when the label is missing.
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch `operator` {
            case .equals, .doubleEquals, .in:
                return value.map(values.contains) ?? false
            case .notEquals, .notIn:
                return value.map { !values.contains($0) } ?? true
            case .exists:
                return value != nil
            case .doesNotExist:
                return value == nil
            case .greaterThan, .lessThan:
                guard let actual = value.flatMap({ Int64($0) }), values.count == 1, let bound = Int64(values[0]) else {
                    return false
                }
                return `operator` == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// The string form, as upstream: `k=v`, `k==v`, `k!=v`, `k>v`, `k<v`, `k in (a,b)`,
        /// `k notin (a,b)`, `k`, `!k`; several values are listed sorted.
        public var description: String {
            let list = values.count == 1 ? values[0] : values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ",")
            switch `operator` {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .equals, .doubleEquals, .notEquals: return key + `operator`.rawValue + list
            case .greaterThan: return key + ">" + list
            case .lessThan: return key + "<" + list
            case .in, .notIn: return "\(key) \(`operator`.rawValue) (\(list))"
            }
        }

        /// The problems `NewRequirement` reports, rendered as upstream's field errors with paths
        /// relative to the requirement (`key`, `values`, `values[0]`, `values[0][key]`).
        private static func problems(key: String, operator: Operator, values: [String]) -> [String] {
            var problems: [String] = []
            let keyProblems = LabelSelector.validateKey(key)
            if !keyProblems.isEmpty {
                problems.append("key: Invalid value: \(key.goQuoted): \(keyProblems.joined(separator: "; "))")
            }
            let listed = "[]string{" + values.map(\.goQuoted).joined(separator: ", ") + "}"
            switch `operator` {
            case .in, .notIn:
                if values.isEmpty {
                    problems.append("values: Invalid value: \(listed): for 'in', 'notin' operators, values set can't be empty")
                }
            case .equals, .doubleEquals, .notEquals:
                if values.count != 1 {
                    problems.append("values: Invalid value: \(listed): exact-match compatibility requires one single value")
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    problems.append("values: Invalid value: \(listed): values set must be empty for exists and does not exist")
                }
            case .greaterThan, .lessThan:
                if values.count != 1 {
                    problems.append("values: Invalid value: \(listed): for 'Gt', 'Lt' operators, exactly one value is required")
                }
                for (index, value) in values.enumerated() where Int64(value) == nil {
                    problems.append("values[\(index)]: Invalid value: \(value.goQuoted): for 'Gt', 'Lt' operators, the value must be an integer")
                }
            }
            for (index, value) in values.enumerated() {
                let valueProblems = LabelSelector.validateValue(value)
                if !valueProblems.isEmpty {
                    problems.append("values[\(index)][\(key)]: Invalid value: \(value.goQuoted): \(valueProblems.joined(separator: "; "))")
                }
            }
            return problems
        }

        /// Several problems as upstream's aggregate error: one alone, else `[a, b]` without repeats.
        private static func aggregate(_ problems: [String]) -> String {
            var seen: Set<String> = []
            let unique = problems.filter { seen.insert($0).inserted }
            return unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
        }
    }
}
