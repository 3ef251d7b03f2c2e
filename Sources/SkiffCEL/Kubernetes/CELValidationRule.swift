import SkiffAPI

/// One `x-kubernetes-validations` entry of a CRD schema.
public struct CELValidationRule: Sendable, Equatable {
    /// `rule`: the CEL expression that must be true.
    public var rule: String
    /// `message`: shown when the rule is false.
    public var message: String?
    /// `messageExpression`: a CEL expression yielding the message.
    public var messageExpression: String?
    /// `reason`: `FieldValueInvalid` (default), `FieldValueForbidden`, `FieldValueRequired`, `FieldValueDuplicate`.
    public var reason: String?
    /// `fieldPath`: where the failure is reported, relative to the rule's field (`.spec.replicas`).
    public var fieldPath: String?
    /// `optionalOldSelf`: evaluate transition rules on create too, with `oldSelf` as an optional.
    public var optionalOldSelf: Bool

    /// A rule.
    public init(rule: String, message: String? = nil, messageExpression: String? = nil, reason: String? = nil,
                fieldPath: String? = nil, optionalOldSelf: Bool = false) {
        self.rule = rule
        self.message = message
        self.messageExpression = messageExpression
        self.reason = reason
        self.fieldPath = fieldPath
        self.optionalOldSelf = optionalOldSelf
    }

    /// Reads a rule from its JSON form.
    public init(json: JSONValue) {
        self.init(
            rule: json["rule"]?.stringValue ?? "", message: json["message"]?.stringValue,
            messageExpression: json["messageExpression"]?.stringValue, reason: json["reason"]?.stringValue,
            fieldPath: json["fieldPath"]?.stringValue, optionalOldSelf: json["optionalOldSelf"]?.boolValue ?? false)
    }

    /// The rules of a schema node's `x-kubernetes-validations`.
    public static func rules(of schema: JSONValue) -> [CELValidationRule] {
        (schema["x-kubernetes-validations"]?.arrayValue ?? []).map(CELValidationRule.init(json:))
    }

    /// The trimmed message, else the trimmed rule (upstream's `ruleErrorString`).
    var errorString: String {
        if let message, !message.isEmpty { return message.trimmingWhitespace }
        return rule.trimmingWhitespace
    }

    /// The message shown when the rule is false (`failed rule: <rule>` without a message).
    var messageOrDefault: String {
        if let message, !message.isEmpty { return message.trimmingWhitespace }
        return "failed rule: \(errorString)"
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
