/// A compiled, type-checked CEL expression, ready to evaluate many times.
public struct CELProgram: Sendable {
    /// Kubernetes' limits (`k8s.io/apiserver/pkg/apis/cel/config.go`).
    public enum Limits {
        /// The largest estimated cost of one expression a CRD or policy may declare.
        public static let perExpressionEstimatedCost: Double = 10_000_000
        /// The runtime cost limit of one evaluation (`PerCallLimit`).
        public static let perCallCost: UInt64 = 1_000_000
        /// The runtime budget of all rules validating one object (`RuntimeCELCostBudget`).
        public static let runtimeBudget: UInt64 = 10_000_000
    }

    /// Compilation options.
    public struct Options: Sendable {
        /// Refuse expressions whose estimated cost exceeds this; nil skips the check.
        public var estimatedCostLimit: Double?
        /// Abort evaluation once its cost exceeds this; nil means no limit.
        public var runtimeCostLimit: UInt64?

        /// Options with Kubernetes' per-expression limits.
        public init(estimatedCostLimit: Double? = Limits.perExpressionEstimatedCost, runtimeCostLimit: UInt64? = Limits.perCallCost) {
            self.estimatedCostLimit = estimatedCostLimit
            self.runtimeCostLimit = runtimeCostLimit
        }
    }

    /// The result of one evaluation and its cost.
    public struct Evaluation: Sendable {
        /// The value of the expression.
        public var value: CELValue
        /// The runtime cost charged.
        public var cost: UInt64
    }

    /// The source text.
    public let expression: String
    /// The type of the result.
    public let resultType: CELType
    /// The estimated worst-case cost.
    public let estimatedCost: Double
    /// The variables the expression references.
    public let referencedVariables: Set<String>
    let ast: CELExpr
    let options: Options

    /// Parses and type-checks `expression` against `environment`; throws `CELCompileError` for
    /// syntax and type errors and `CELCostError` when the estimated cost is over the limit.
    public static func compile(expression: String, environment: CELEnvironment, options: Options = Options()) throws -> CELProgram {
        let ast: CELExpr
        do {
            ast = try CELParser.parse(expression)
        } catch {
            throw CELCompileError(issues: [.init(message: error.message, line: error.position.line, column: error.position.column)], source: expression)
        }
        var checker = CELChecker(variables: environment.variables, library: .kubernetes)
        let resultType = checker.check(ast)
        if !checker.issues.isEmpty { throw CELCompileError(issues: checker.issues, source: expression) }
        let estimated = CELCostEstimator(types: checker.types, library: .kubernetes).estimate(ast)
        if let limit = options.estimatedCostLimit, estimated > limit { throw CELCostError(estimatedCost: estimated, limit: limit) }
        return CELProgram(
            expression: expression, resultType: resultType, estimatedCost: estimated,
            referencedVariables: Self.identifiers(in: ast).intersection(environment.variables.keys), ast: ast, options: options)
    }

    /// Evaluates the program with variables bound to values.
    public func evaluate(activation: [String: CELValue]) throws(CELEvaluationError) -> CELValue {
        try evaluateWithCost(activation: activation).value
    }

    /// Evaluates the program, reporting the cost charged; `costLimit` overrides the compiled limit.
    public func evaluateWithCost(activation: [String: CELValue], costLimit: UInt64? = nil) throws(CELEvaluationError) -> Evaluation {
        var evaluator = CELEvaluator(activation: activation, library: .kubernetes, costLimit: costLimit ?? options.runtimeCostLimit)
        let value = try evaluator.evaluate(ast)
        return Evaluation(value: value, cost: evaluator.cost)
    }

    /// The fields the expression selects directly from the variable `identifier` (`foo` and `bar`
    /// for `variables.foo + variables.bar` and `variables`): what a lazily bound map must provide.
    public func selectedFields(of identifier: String) -> Set<String> {
        Self.selectedFields(of: identifier, in: ast)
    }

    private static func selectedFields(of identifier: String, in expression: CELExpr) -> Set<String> {
        if case .select(let operand, let field, _) = expression.kind, case .identifier(identifier) = operand.kind { return [field] }
        return children(of: expression).reduce([]) { $0.union(selectedFields(of: identifier, in: $1)) }
    }

    private static func identifiers(in expression: CELExpr) -> Set<String> {
        if case .identifier(let name) = expression.kind { return [name] }
        return children(of: expression).reduce([]) { $0.union(identifiers(in: $1)) }
    }

    /// The direct subexpressions of a node.
    private static func children(of expression: CELExpr) -> [CELExpr] {
        switch expression.kind {
        case .literal, .identifier: return []
        case .select(let operand, _, _): return [operand]
        case .call(_, let target, let arguments): return (target.map { [$0] } ?? []) + arguments
        case .list(let elements): return elements
        case .map(let entries): return entries.flatMap { [$0.key, $0.value] }
        case .comprehension(let comprehension):
            return [comprehension.range] + [comprehension.predicate, comprehension.transform].compactMap { $0 }
        }
    }
}

/// An expression refused because its estimated cost exceeds the limit.
public struct CELCostError: Error, Sendable, CustomStringConvertible {
    /// The estimated cost.
    public var estimatedCost: Double
    /// The limit it exceeds.
    public var limit: Double

    /// Upstream's message: `estimated rule cost exceeds budget by factor of 2.5x (try simplifying
    /// the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings
    /// are declared)`; factors over 100 print as `more than 100x`.
    public var description: String {
        let factor = estimatedCost / limit
        let shown = factor > 100 ? "more than 100x" : "\((factor * 10).rounded() / 10)x"
        return "estimated rule cost exceeds budget by factor of \(shown) (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
    }
}
