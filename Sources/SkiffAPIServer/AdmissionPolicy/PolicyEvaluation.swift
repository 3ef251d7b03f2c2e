import Foundation
import SkiffAPI
import SkiffCEL

/// A failed validation, or an error the policy does not ignore (upstream's `PolicyDecision` with
/// action deny): what a binding's `validationActions` act on.
struct PolicyDecision: Sendable, Equatable {
    var message: String
    var reason: StatusReason = .invalid
    /// The index in `spec.validations` of the validation that failed (0 for other failures).
    var expressionIndex = 0
}

/// One evaluation of a policy for a request and one param (upstream's `validator.Validate`):
/// `matchConditions`, then `validations`, then `auditAnnotations`, with `variables` evaluated
/// when an expression first reads them and kept for the others.
struct PolicyEvaluation {
    /// What the evaluation decided.
    struct Outcome: Sendable, Equatable {
        /// Failed validations and errors of match conditions and validations: the binding's
        /// `validationActions` apply.
        var decisions: [PolicyDecision] = []
        /// Audit annotation errors: refused whatever the actions (as upstream).
        var annotationErrors: [PolicyDecision] = []
        /// The audit annotations' values by key (non-empty strings only).
        var annotations: [String: String] = [:]
    }

    /// Upstream's `MaxEvaluatedMessageExpressionSizeBytes`.
    static let maxMessageLength = 5 * 1024

    let policy: AdmissionPolicy
    private let inputs: [String: CELValue]
    private var variableValues: [String: Result<CELValue, PolicyExpression.Failure>] = [:]
    /// The `authorizer` checks expressions asked for that `authorizer` had no decision for: when
    /// any, the outcome means nothing and the caller evaluates again once they are decided.
    private(set) var pendingChecks: Set<CELAuthorizationCheck> = []

    /// `object` and `oldObject` in the matched version (null when absent), `request` (the
    /// `AdmissionRequest` without the objects), `params` and `namespaceObject` (null when none),
    /// `authorizer` (`PolicyAuthorizations.value`).
    init(policy: AdmissionPolicy, object: JSONValue?, oldObject: JSONValue?, request: JSONValue, params: JSONValue?,
         namespaceObject: JSONValue?, authorizer: CELValue) {
        self.policy = policy
        func value(_ json: JSONValue?) -> CELValue { json.map { CELValue(json: $0) } ?? .null }
        inputs = [
            "object": value(object), "oldObject": value(oldObject), "request": value(request), "params": value(params),
            "namespaceObject": value(namespaceObject), "authorizer": authorizer,
        ]
    }

    /// Evaluates the policy; with `failurePolicy: Ignore` errors decide nothing.
    mutating func run() -> Outcome {
        var outcome = Outcome()
        func failed(_ failure: PolicyExpression.Failure, index: Int = 0) {
            if !policy.failsOpen { outcome.decisions.append(PolicyDecision(message: failure.description, expressionIndex: index)) }
        }
        // Any false condition skips the policy; otherwise errors are one failure (upstream's aggregate).
        var conditionErrors: [String] = []
        for condition in policy.matchConditions {
            switch evaluate(condition) {
            case .success(.bool(false)): return outcome
            case .success: continue
            case .failure(let failure): conditionErrors.append(failure.description)
            }
        }
        if !conditionErrors.isEmpty {
            if !policy.failsOpen {
                let message = conditionErrors.count == 1 ? conditionErrors[0] : "[" + conditionErrors.joined(separator: ", ") + "]"
                outcome.decisions.append(PolicyDecision(message: message))
            }
            return outcome
        }
        for (index, validation) in policy.validations.enumerated() {
            switch evaluate(validation.expression) {
            case .failure(let failure): failed(failure, index: index)
            case .success(.bool(true)): continue
            case .success:
                outcome.decisions.append(PolicyDecision(message: message(of: validation), reason: validation.reason, expressionIndex: index))
            }
        }
        for annotation in policy.auditAnnotations {
            switch evaluate(annotation.value) {
            case .failure(let failure):
                if !policy.failsOpen { outcome.annotationErrors.append(PolicyDecision(message: failure.description)) }
            case .success(.null): continue
            case .success(.string(let text)):
                let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { outcome.annotations[annotation.key] = value }
            case .success(let other):
                outcome.annotationErrors.append(PolicyDecision(
                    message: "valueExpression '\(annotation.value.source)' resulted in unsupported return type: \(other.typeName). Return type must be either string or null."))
            }
        }
        return outcome
    }

    /// A failed validation's message: its `messageExpression` when that gives a usable string
    /// (one line, at most 5 KiB, not blank), else `message`, else `failed expression: <expression>`.
    private mutating func message(of validation: AdmissionPolicy.Validation) -> String {
        if let expression = validation.messageExpression, case .success(.string(let text)) = evaluate(expression) {
            let message = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !message.isEmpty, message.utf8.count <= Self.maxMessageLength, !message.contains("\n") { return message }
        }
        let message = validation.message.trimmingCharacters(in: .whitespacesAndNewlines)
        if !message.isEmpty { return message }
        return "failed expression: \(validation.expression.source.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    /// An expression's value, with the variables before `limit` it reads bound. A read variable
    /// that failed fails the expression when the expression fails (not when it did not need it).
    private mutating func evaluate(_ expression: PolicyExpression, variablesBefore limit: Int? = nil) -> Result<CELValue, PolicyExpression.Failure> {
        var variables = CELMap()
        var variableFailure: String?
        for name in expression.variablesRead.sorted() {
            switch value(ofVariable: name, before: limit ?? policy.variables.count) {
            case .success(let value)?: variables.insert(.string(name), value)
            case .failure(.compile(let error))?: variableFailure = variableFailure ?? "composited variable \"\(name)\" fails to compile: \(error)"
            case .failure(.runtime(_, let error))?: variableFailure = variableFailure ?? error
            // Recorded in `pendingChecks` when the variable was evaluated: this outcome is discarded.
            case .failure(.pending)?: continue
            case nil: continue
            }
        }
        var activation = inputs
        activation["variables"] = .map(variables)
        let result = expression.evaluate(activation)
        if case .failure(.pending(let check)) = result { pendingChecks.insert(check) }
        if case .failure = result, let variableFailure { return .failure(.runtime(source: expression.source, error: variableFailure)) }
        return result
    }

    /// The value of the variable `name` if it is one of the first `limit` variables, evaluated once.
    private mutating func value(ofVariable name: String, before limit: Int) -> Result<CELValue, PolicyExpression.Failure>? {
        guard let index = policy.variables.prefix(limit).firstIndex(where: { $0.name == name }) else { return nil }
        if let known = variableValues[name] { return known }
        let result = evaluate(policy.variables[index].expression, variablesBefore: index)
        variableValues[name] = result
        return result
    }
}
