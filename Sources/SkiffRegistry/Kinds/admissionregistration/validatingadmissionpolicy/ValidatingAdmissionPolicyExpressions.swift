import SkiffAPI
import SkiffCEL

extension ValidatingAdmissionPolicyStrategy {
    /// The policy's CEL expressions that do not compile in the policy environment, as upstream
    /// refuses them at create and update: `Invalid value: "<expression>": compilation failed:
    /// ERROR: <input>:…`, or `must evaluate to bool` (`string` for a `messageExpression`) when
    /// the checker knows another type. Expressions whose type is only known at runtime (`dyn`:
    /// Skiff does not type `object` from the resource's schema) are let through.
    static func expressionErrors(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ element: JSONValue, _ key: String, at path: String, evaluatesTo expected: CELType?) {
            let source = element.stringValue(at: key)
            guard !source.allSatisfy(\.isWhitespace) else { return }
            let program: CELProgram
            do {
                program = try CELProgram.compile(expression: source, environment: .admissionPolicy(), options: .init(estimatedCostLimit: nil))
            } catch {
                errors.append(.invalid("\(path).\(key)", .string(source), "compilation failed: \(error)"))
                return
            }
            if case .dyn = program.resultType.kind { return }
            if let expected, program.resultType.description != expected.description {
                errors.append(.invalid("\(path).\(key)", .string(source), "must evaluate to \(expected)"))
            }
        }
        for (index, validation) in object.elements(at: "spec", "validations").enumerated() {
            check(validation, "expression", at: "spec.validations[\(index)]", evaluatesTo: .bool)
            check(validation, "messageExpression", at: "spec.validations[\(index)]", evaluatesTo: .string)
        }
        for (index, condition) in object.elements(at: "spec", "matchConditions").enumerated() {
            check(condition, "expression", at: "spec.matchConditions[\(index)]", evaluatesTo: .bool)
        }
        for (index, variable) in object.elements(at: "spec", "variables").enumerated() {
            check(variable, "expression", at: "spec.variables[\(index)]", evaluatesTo: nil)
        }
        for (index, annotation) in object.elements(at: "spec", "auditAnnotations").enumerated() {
            check(annotation, "valueExpression", at: "spec.auditAnnotations[\(index)]", evaluatesTo: nil)
        }
        return errors
    }
}
