/// Type-checks a ValidatingAdmissionPolicy's expressions with `object` and `oldObject` typed by
/// one matched kind's schema, `params` by the param kind's, and `request` and `namespaceObject`
/// by upstream's admission types (upstream's policy type checker, which only warns): the policy's
/// `variables` are checked first, in order, each seeing those before it, and `variables.<name>`
/// takes the type its expression has (`dyn` for one that does not check, and for schema objects,
/// as upstream's composition environment).
public struct CELPolicyTypeChecker: Sendable {
    private let objectSchema: CELSchema?
    private let paramsSchema: CELSchema?
    private let variableTypes: [String: CELType]

    /// A checker for one matched kind; `variables` are the policy's `(name, expression)` pairs in order.
    public init(objectSchema: CELSchema?, paramsSchema: CELSchema?, variables: [(name: String, expression: String)]) {
        self.objectSchema = objectSchema
        self.paramsSchema = paramsSchema
        var types: [String: CELType] = [:]
        for variable in variables {
            let environment = Self.environment(objectSchema: objectSchema, paramsSchema: paramsSchema, variables: types)
            let program = try? CELProgram.compile(expression: variable.expression, environment: environment, options: .init(estimatedCostLimit: nil))
            types[variable.name] = program.map { Self.variableType($0.resultType) } ?? .dyn
        }
        variableTypes = types
    }

    /// The problems the checker finds in `expression`, nil when it checks.
    public func issues(in expression: String) -> CELCompileError? {
        let environment = Self.environment(objectSchema: objectSchema, paramsSchema: paramsSchema, variables: variableTypes)
        do {
            _ = try CELProgram.compile(expression: expression, environment: environment, options: .init(estimatedCostLimit: nil))
            return nil
        } catch let error as CELCompileError {
            return error
        } catch {
            return nil
        }
    }

    /// The policy environment with the given types and `request` and `namespaceObject` typed.
    private static func environment(objectSchema: CELSchema?, paramsSchema: CELSchema?, variables: [String: CELType]) -> CELEnvironment {
        var environment = CELEnvironment.admissionPolicy(objectSchema: objectSchema, paramsSchema: paramsSchema, variables: variables)
        environment.variables["request"] = CELAdmissionTypes.request
        environment.variables["namespaceObject"] = CELAdmissionTypes.namespace
        return environment
    }

    /// The type a variable is declared with: scalars, lists and maps keep theirs (elements
    /// likewise); every other type is `dyn`.
    static func variableType(_ type: CELType) -> CELType {
        switch type.kind {
        case .int, .uint, .double, .bool, .string, .bytes, .null, .duration, .timestamp, .dyn: return CELType(type.kind)
        case .list(let element): return .list(variableType(element))
        case .map(let key, let value): return .map(variableType(key), variableType(value))
        case .quantity, .object, .type, .parameter, .optional: return .dyn
        }
    }
}
