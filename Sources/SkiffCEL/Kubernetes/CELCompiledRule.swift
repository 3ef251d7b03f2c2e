import SkiffAPI

/// A CRD validation rule compiled against its schema node, evaluated as the apiextensions
/// server evaluates it: false → the rule's message (or `failed rule: <rule>`) as a field error
/// of the rule's reason; evaluation errors → `<error> evaluating rule: <rule>`; transition rules
/// (those using `oldSelf`) only when there is an old value, unless `optionalOldSelf` is set.
public struct CELCompiledRule: Sendable {
    /// The source rule.
    public let rule: CELValidationRule
    /// The compiled rule expression.
    public let program: CELProgram
    /// The compiled message expression, if any.
    public let messageProgram: CELProgram?
    /// Whether the rule references `oldSelf` (a transition rule).
    public var usesOldSelf: Bool { program.referencedVariables.contains("oldSelf") }
    private let schema: CELSchema

    /// A failure to compile a rule, worded as the CRD validation reports it.
    public struct CompileFailure: Error, Sendable, CustomStringConvertible {
        /// Which expression failed: `rule` or `messageExpression`.
        public var field: String
        /// The field error type: `Invalid` for compile errors, `Forbidden` for cost.
        public var isCostRefusal: Bool
        /// The message (`compilation failed: ERROR: <input>:1:6: undefined field 'foo' …`).
        public var description: String
    }

    /// Compiles `rule` for a schema node (`isResourceRoot` adds `apiVersion`, `kind` and `metadata`).
    public static func compile(_ rule: CELValidationRule, schema: CELSchema, isResourceRoot: Bool = false,
                               options: CELProgram.Options = .init()) throws(CompileFailure) -> CELCompiledRule {
        let environment = CELEnvironment.crdRule(schema: schema, isResourceRoot: isResourceRoot, optionalOldSelf: rule.optionalOldSelf)
        let program = try compileOne(rule.rule, field: "rule", environment: environment, options: options)
        if !program.resultType.isDyn, !program.resultType.isSame(as: .bool) {
            throw CompileFailure(field: "rule", isCostRefusal: false, description: "cel expression must evaluate to a bool")
        }
        var messageProgram: CELProgram?
        if let messageExpression = rule.messageExpression, !messageExpression.isEmpty {
            let messageEnvironment = CELEnvironment.crdRule(schema: schema, isResourceRoot: isResourceRoot, optionalOldSelf: rule.optionalOldSelf)
            let compiled = try compileOne(messageExpression, field: "messageExpression", environment: messageEnvironment, options: options)
            if !compiled.resultType.isDyn, !compiled.resultType.isSame(as: .string) {
                throw CompileFailure(field: "messageExpression", isCostRefusal: false, description: "must evaluate to a string")
            }
            messageProgram = compiled
        }
        return CELCompiledRule(rule: rule, program: program, messageProgram: messageProgram,
                               schema: isResourceRoot ? schema.withTypeAndObjectMeta() : schema)
    }

    private static func compileOne(_ expression: String, field: String, environment: CELEnvironment,
                                   options: CELProgram.Options) throws(CompileFailure) -> CELProgram {
        do {
            return try CELProgram.compile(expression: expression, environment: environment, options: options)
        } catch let error as CELCostError {
            throw CompileFailure(field: field, isCostRefusal: true, description: error.description)
        } catch {
            throw CompileFailure(field: field, isCostRefusal: false, description: "compilation failed: \(error)")
        }
    }

    /// Evaluates the rule against `value` (and `oldValue` for updates) at `fieldPath`, charging
    /// `budget`; nil when the rule holds or does not apply. A verdict with `exhaustedBudget` set
    /// means no further rules may run.
    public func validate(_ value: JSONValue, oldValue: JSONValue?, fieldPath: String, budget: inout UInt64) -> CELRuleVerdict? {
        if usesOldSelf && oldValue == nil && !rule.optionalOldSelf { return nil }
        let selfValue = CELValue(json: value, schema: schema)
        var activation: [String: CELValue] = ["self": selfValue]
        let oldSelf = oldValue.map { CELValue(json: $0, schema: schema) }
        if rule.optionalOldSelf {
            activation["oldSelf"] = .optional(oldSelf.map(CELValueBox.init))
        } else if let oldSelf {
            activation["oldSelf"] = oldSelf
        }
        let shownValue: JSONValue = schema.type == "object" || schema.type == "array" ? .string(schema.type) : value
        func failure(_ detail: String, exhausted: Bool = false) -> CELRuleVerdict {
            CELRuleVerdict(error: .invalid(fieldPath, shownValue, detail), exhaustedBudget: exhausted)
        }
        let evaluation: CELProgram.Evaluation
        do {
            evaluation = try program.evaluateWithCost(activation: activation, costLimit: min(budget, program.options.runtimeCostLimit ?? budget))
        } catch {
            switch error.kind {
            case .costLimitExceeded where budget < program.options.runtimeCostLimit ?? UInt64.max:
                budget = 0
                return failure("validation failed due to running out of cost budget, no further validation rules will be run", exhausted: true)
            case .costLimitExceeded:
                budget = 0
                return failure("'\(error)': no further validation rules will be run due to call cost exceeds limit for rule: \(rule.errorString)", exhausted: true)
            case .noSuchOverload:
                return failure("'\(error)': call arguments did not match a supported operator, function or macro signature for rule: \(rule.errorString)")
            case .invalid, .authorizationPending:
                return failure("\(error) evaluating rule: \(rule.errorString)")
            }
        }
        budget -= min(budget, evaluation.cost)
        if case .bool(true) = evaluation.value { return nil }
        let path = Self.path(fieldPath, rule.fieldPath)
        let detail = message(activation: activation, budget: &budget) ?? rule.messageOrDefault
        let error: FieldError
        switch rule.reason {
        case "FieldValueForbidden": error = .forbidden(path, detail)
        case "FieldValueRequired": error = .required(path, detail)
        case "FieldValueDuplicate": error = .duplicate(path, shownValue)
        default: error = .invalid(path, shownValue, detail)
        }
        return CELRuleVerdict(error: error, exhaustedBudget: false)
    }

    /// The evaluated `messageExpression`, nil when absent, failing, empty or multi-line (upstream
    /// then falls back to the static message).
    private func message(activation: [String: CELValue], budget: inout UInt64) -> String? {
        guard let messageProgram, let evaluation = try? messageProgram.evaluateWithCost(activation: activation, costLimit: budget) else {
            return nil
        }
        budget -= min(budget, evaluation.cost)
        guard case .string(let text) = evaluation.value else { return nil }
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty, !trimmed.contains("\n"), trimmed.utf8.count <= 5 * 1024 else { return nil }
        return trimmed
    }

    private static func path(_ base: String, _ relative: String?) -> String {
        guard let relative, !relative.isEmpty else { return base }
        let trimmed = relative.hasPrefix(".") ? String(relative.dropFirst()) : relative
        if base.isEmpty { return trimmed }
        return trimmed.hasPrefix("[") ? base + trimmed : base + "." + trimmed
    }
}

/// The outcome of a failed rule: the field error to report, and whether the cost budget ran out
/// (no further rules run).
public struct CELRuleVerdict: Sendable, Equatable {
    /// The field error (`spec: Invalid value: "object": replicas must not exceed maxReplicas`).
    public var error: FieldError
    /// Whether the budget is exhausted.
    public var exhaustedBudget: Bool
}
