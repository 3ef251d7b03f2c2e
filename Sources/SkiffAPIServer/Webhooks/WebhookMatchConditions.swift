import SkiffAPI
import SkiffCEL

/// A webhook's `matchConditions`: CEL expressions over `object`, `oldObject` and `request` (the
/// `AdmissionRequest`) that must all be true for the webhook to be called (no `authorizer`).
enum WebhookMatchConditions {
    /// A condition that does not compile, does not give a bool, or fails to evaluate.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether every condition holds; the first false one stops the evaluation.
    static func allHold(_ conditions: [(name: String, expression: String)], request: JSONValue) throws(Failure) -> Bool {
        if conditions.isEmpty { return true }
        let activation: [String: CELValue] = [
            "object": CELValue(json: request["object"] ?? .null), "oldObject": CELValue(json: request["oldObject"] ?? .null),
            "request": CELValue(json: request),
        ]
        for condition in conditions {
            let value: CELValue
            do {
                let program = try CELProgram.compile(expression: condition.expression, environment: .admissionPolicy())
                value = try program.evaluate(activation: activation)
            } catch {
                throw Failure(description: "failed to evaluate match condition \"\(condition.name)\": \(error)")
            }
            guard case .bool(let holds) = value else {
                throw Failure(description: "match condition \"\(condition.name)\" must evaluate to bool, got \(value.typeName)")
            }
            if !holds { return false }
        }
        return true
    }
}
