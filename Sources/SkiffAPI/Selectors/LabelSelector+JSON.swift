extension LabelSelector {
    /// The selector a `metav1.LabelSelector` object describes, as upstream's
    /// `LabelSelectorAsSelector`: `key=value` for each `matchLabels` entry, and each
    /// `matchExpressions` entry with its operator (`In`, `NotIn`, `Exists`, `DoesNotExist`) and
    /// values as given. No requirements select everything; `null` (no selector) selects ``nothing``.
    ///
    /// The object is first checked with ``validate(_:fieldPath:)``; problems are thrown as
    /// `422 Invalid` whose causes are those field errors (the caller names the object in its own error).
    public init(selector: JSONValue, fieldPath: String = "spec.selector") throws(APIError) {
        if selector.isNull {
            self = .nothing
            return
        }
        let errors = Self.validate(selector, fieldPath: fieldPath)
        guard errors.isEmpty else {
            let summary = errors.count == 1 ? errors[0].message : "[" + errors.map(\.message).joined(separator: ", ") + "]"
            throw APIError(
                code: 422, reason: .invalid, message: summary,
                details: .init(causes: errors.map { .init(type: $0.type, message: $0.errorBody, field: $0.field) }))
        }
        let labels = Self.matchLabels(of: selector).map { Requirement(unchecked: $0.key, .equals, [$0.value.stringValue ?? ""]) }
        let expressions = Self.matchExpressions(of: selector).compactMap { expression -> Requirement? in
            guard let op = Self.requirementOperator(named: expression["operator"]?.stringValue) else { return nil }
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            return Requirement(unchecked: expression["key"]?.stringValue ?? "", op, values)
        }
        self.init(requirements: labels + expressions)
    }

    /// The problems with a `metav1.LabelSelector` object at `fieldPath`, as upstream's
    /// `ValidateLabelSelector`: `matchLabels` keys and values must be label keys and values; each
    /// `matchExpressions` entry needs a known operator, values for `In`/`NotIn` and none for
    /// `Exists`/`DoesNotExist`, a label key and label values. Members of the wrong JSON type are
    /// reported as `FieldValueTypeInvalid`. `null` (no selector) has no problems.
    public static func validate(_ selector: JSONValue, fieldPath: String) -> [FieldError] {
        if selector.isNull { return [] }
        guard selector.objectValue != nil else { return [.typeInvalid(fieldPath, selector, "must be an object")] }
        var errors: [FieldError] = []
        let labelsPath = fieldPath + ".matchLabels"
        if let labels = selector["matchLabels"], !labels.isNull, labels.objectValue == nil {
            errors.append(.typeInvalid(labelsPath, labels, "must be a map of strings"))
        }
        for (key, value) in matchLabels(of: selector) {
            errors += validateKey(key).map { .invalid(labelsPath, .string(key), $0) }
            guard let text = value.stringValue else {
                errors.append(.typeInvalid("\(labelsPath)[\(key)]", value, "must be a string"))
                continue
            }
            errors += validateValue(text).map { .invalid(labelsPath, .string(text), $0) }
        }
        let expressionsPath = fieldPath + ".matchExpressions"
        if let expressions = selector["matchExpressions"], !expressions.isNull, expressions.arrayValue == nil {
            errors.append(.typeInvalid(expressionsPath, expressions, "must be a list of label selector requirements"))
        }
        for (index, expression) in matchExpressions(of: selector).enumerated() {
            errors += validateExpression(expression, path: "\(expressionsPath)[\(index)]")
        }
        return errors
    }

    /// Upstream's `ValidateLabelSelectorRequirement`, in its order: operator and value count,
    /// then the key, then each value.
    private static func validateExpression(_ expression: JSONValue, path: String) -> [FieldError] {
        guard expression.objectValue != nil else { return [.typeInvalid(path, expression, "must be an object")] }
        var errors: [FieldError] = []
        var values: [JSONValue] = []
        if let given = expression["values"], !given.isNull {
            if let elements = given.arrayValue {
                values = elements
            } else {
                errors.append(.typeInvalid(path + ".values", given, "must be a list of strings"))
            }
        }
        let operatorValue = expression["operator"] ?? ""
        if let name = operatorValue.stringValue {
            switch requirementOperator(named: name) {
            case .in, .notIn:
                if values.isEmpty { errors.append(.required(path + ".values", "must be specified when `operator` is 'In' or 'NotIn'")) }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    errors.append(.forbidden(path + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                errors.append(.invalid(path + ".operator", operatorValue, "not a valid selector operator"))
            }
        } else {
            errors.append(.typeInvalid(path + ".operator", operatorValue, "must be a string"))
        }
        let keyValue = expression["key"] ?? ""
        if let key = keyValue.stringValue {
            errors += validateKey(key).map { .invalid(path + ".key", keyValue, $0) }
        } else {
            errors.append(.typeInvalid(path + ".key", keyValue, "must be a string"))
        }
        for (index, value) in values.enumerated() {
            let valuePath = "\(path).values[\(index)]"
            guard let text = value.stringValue else {
                errors.append(.typeInvalid(valuePath, value, "must be a string"))
                continue
            }
            errors += validateValue(text).map { .invalid(valuePath, value, $0) }
        }
        return errors
    }

    /// The `matchLabels` entries, sorted by key so that problems are reported in a stable order.
    private static func matchLabels(of selector: JSONValue) -> [(key: String, value: JSONValue)] {
        (selector["matchLabels"]?.objectValue ?? [:]).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    private static func matchExpressions(of selector: JSONValue) -> [JSONValue] {
        selector["matchExpressions"]?.arrayValue ?? []
    }

    /// The requirement operator of a `metav1.LabelSelectorOperator`.
    private static func requirementOperator(named name: String?) -> Requirement.Operator? {
        switch name {
        case "In": return .in
        case "NotIn": return .notIn
        case "Exists": return .exists
        case "DoesNotExist": return .doesNotExist
        default: return nil
        }
    }
}
