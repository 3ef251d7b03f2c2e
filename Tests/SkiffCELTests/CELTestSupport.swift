import SkiffAPI
@testable import SkiffCEL

/// Compiles and evaluates `expression` with untyped (`dyn`) variables bound to JSON values.
func evaluate(_ expression: String, _ variables: [String: JSONValue] = [:]) throws -> CELValue {
    let environment = CELEnvironment(variables: variables.mapValues { _ in .dyn })
    let program = try CELProgram.compile(expression: expression, environment: environment)
    return try program.evaluate(activation: variables.mapValues { CELValue(json: $0) })
}

/// The evaluation error message of `expression`, nil when it succeeds.
func evaluationError(_ expression: String, _ variables: [String: JSONValue] = [:]) throws -> String? {
    do {
        _ = try evaluate(expression, variables)
        return nil
    } catch let error as CELEvaluationError {
        return error.message
    }
}

/// The compile error text of `expression` against `environment`, nil when it compiles.
func compileError(_ expression: String, _ environment: CELEnvironment = CELEnvironment()) -> String? {
    do {
        _ = try CELProgram.compile(expression: expression, environment: environment)
        return nil
    } catch {
        return "\(error)"
    }
}

extension CELValue {
    /// Equality for test expectations (CEL equality plus matching kinds).
    func same(_ other: CELValue) -> Bool { typeName == other.typeName && celEquals(other) }
}
