/// A label selector (`env=prod,tier!=db`, `app in (a,b)`, `!legacy`), with upstream's grammar,
/// validation and matching. The empty selector matches everything.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// One requirement on one label.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        public enum Operator: String, Sendable, Hashable {
            case equals = "="
            case doubleEquals = "=="
            case notEquals = "!="
            case `in` = "in"
            case notIn = "notin"
            case exists = "exists"
            case doesNotExist = "!"
            case greaterThan = "gt"
            case lessThan = "lt"
        }

        public var key: String
        public var op: Operator
        /// Sorted values (one for `=`, `!=`, `gt`, `lt`; none for exists/doesNotExist).
        public var values: [String]

        public func matches(_ labels: [String: String]) -> Bool {
            switch op {
            case .equals, .doubleEquals, .in:
                guard let value = labels[key] else { return false }
                return values.contains(value)
            case .notEquals, .notIn:
                guard let value = labels[key] else { return true }
                return !values.contains(value)
            case .exists:
                return labels[key] != nil
            case .doesNotExist:
                return labels[key] == nil
            case .greaterThan, .lessThan:
                guard let text = labels[key], let value = Int64(text), let bound = values.first.flatMap({ Int64($0) }) else {
                    return false
                }
                return op == .greaterThan ? value > bound : value < bound
            }
        }

        public var description: String {
            switch op {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .in, .notIn: return "\(key) \(op.rawValue) (\(values.joined(separator: ",")))"
            case .greaterThan: return "\(key)>\(values.first ?? "")"
            case .lessThan: return "\(key)<\(values.first ?? "")"
            default: return key + op.rawValue + (values.first ?? "")
            }
        }
    }

    /// The requirements, sorted by key (all must hold).
    public private(set) var requirements: [Requirement]

    /// The selector that matches everything.
    public init() {
        requirements = []
    }

    /// A selector from requirements.
    public init(requirements: [Requirement]) {
        self.requirements = requirements.sorted { $0.key < $1.key }
    }

    /// A selector matching exactly these labels (`matchLabels`).
    public init(matchLabels: [String: String]) {
        self.init(requirements: matchLabels.map { Requirement(key: $0.key, op: .equals, values: [$0.value]) })
    }

    public var isEverything: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// The canonical string form (`a=b,c in (d,e)`).
    public var description: String { requirements.map(\.description).joined(separator: ",") }

    /// Parses the string form; invalid input is `400 BadRequest` with upstream's message.
    public init(parsing text: String) throws(APIError) {
        var parser = LabelSelectorParser(text)
        do {
            self.init(requirements: try parser.parse())
        } catch {
            throw APIError.badRequest("unable to parse requirement: \(error.message)")
        }
    }

    /// Builds a selector from a `metav1.LabelSelector` object (`matchLabels` and
    /// `matchExpressions`); problems are reported as field errors under `fieldPath`.
    public init(selector: JSONValue, fieldPath: String = "spec.selector") throws(APIError) {
        var requirements: [Requirement] = []
        var errors: [FieldError] = []
        for (key, value) in selector["matchLabels"]?.objectValue ?? [:] {
            let text = value.stringValue ?? ""
            errors += Self.validateKey(key).map { .invalid("\(fieldPath).matchLabels", .string(key), $0) }
            errors += Self.validateValue(text).map { .invalid("\(fieldPath).matchLabels", .string(text), $0) }
            requirements.append(Requirement(key: key, op: .equals, values: [text]))
        }
        for (index, expression) in (selector["matchExpressions"]?.arrayValue ?? []).enumerated() {
            let path = "\(fieldPath).matchExpressions[\(index)]"
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            errors += Self.validateKey(key).map { .invalid("\(path).key", .string(key), $0) }
            switch expression["operator"]?.stringValue ?? "" {
            case "In", "NotIn":
                if values.isEmpty { errors.append(.required("\(path).values", "must be specified when `operator` is 'In' or 'NotIn'")) }
                let op: Requirement.Operator = expression["operator"]?.stringValue == "In" ? .in : .notIn
                requirements.append(Requirement(key: key, op: op, values: Array(Set(values)).sorted()))
            case "Exists", "DoesNotExist":
                if !values.isEmpty { errors.append(.forbidden("\(path).values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")) }
                let op: Requirement.Operator = expression["operator"]?.stringValue == "Exists" ? .exists : .doesNotExist
                requirements.append(Requirement(key: key, op: op, values: []))
            case let other:
                errors.append(.notSupported("\(path).operator", .string(other), supported: ["DoesNotExist", "Exists", "In", "NotIn"]))
            }
        }
        if !errors.isEmpty {
            throw APIError(code: 422, reason: .invalid, message: errors.map(\.message).joined(separator: ", "),
                           details: .init(causes: errors.map { .init(type: $0.type, message: $0.errorBody, field: $0.field) }))
        }
        self.init(requirements: requirements)
    }

    /// Problems with a label key (a qualified name: optional DNS subdomain prefix and `/`, then a
    /// name of at most 63 characters), as upstream's messages.
    public static func validateKey(_ key: String) -> [String] {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        var name = key
        var problems: [String] = []
        switch parts.count {
        case 1: break
        case 2:
            let prefix = String(parts[0])
            name = String(parts[1])
            if prefix.isEmpty {
                problems.append("prefix part must be non-empty")
            } else {
                problems += NameValidation.dns1123Subdomain(prefix).map { "prefix part \($0)" }
            }
        default:
            return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else {
            if name.utf8.count > 63 { problems.append("name part must be no more than 63 characters") }
            if !isQualifiedToken(name) {
                problems.append("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
            }
        }
        return problems
    }

    /// Problems with a label value (empty, or at most 63 characters of the qualified-name alphabet).
    public static func validateValue(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 { problems.append("must be no more than 63 characters") }
        if !value.isEmpty && !isQualifiedToken(value) {
            problems.append("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
        }
        return problems
    }

    private static func isQualifiedToken(_ text: String) -> Bool {
        func alnum(_ b: UInt8) -> Bool { (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) }
        let utf8 = Array(text.utf8)
        guard let first = utf8.first, let last = utf8.last, alnum(first), alnum(last) else { return false }
        return utf8.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }
}
