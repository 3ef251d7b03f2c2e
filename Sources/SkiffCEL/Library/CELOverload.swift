/// One overload of a CEL function: its signature, which the checker resolves calls against, its
/// implementation, which the evaluator dispatches to by the runtime types of the arguments, and
/// how its cost grows with argument sizes.
struct CELOverload: Sendable {
    typealias Implementation = @Sendable ([CELValue]) throws(CELEvaluationError) -> CELValue

    /// How a call's cost grows with its arguments, beyond the fixed cost of 1.
    enum Cost: Sendable {
        /// Nothing beyond the call itself.
        case constant
        /// Traverses argument `index` (size × 0.1, cel-go's string traversal factor).
        case traverse(Int)
        /// Traverses the product of the two arguments' sizes (`contains`, `indexOf`, `replace`).
        case product(Int, Int)
        /// Runs a regular expression (argument 1) over a string (argument 0).
        case regex
        /// Walks a list (argument 0) element by element (`sum`, `min`, `isSorted`, `join`).
        case walk(Int)
    }

    /// The function name (`size`, `_+_`, `startsWith`).
    var function: String
    /// Whether the call is receiver-style (`x.f()`); the receiver is then the first parameter.
    var isMember: Bool
    /// The parameter types, the receiver first for member calls.
    var parameters: [CELType]
    /// The result type.
    var result: CELType
    var cost: Cost
    var implementation: Implementation

    init(_ function: String, member: Bool = false, _ parameters: [CELType], _ result: CELType, cost: Cost = .constant,
         _ implementation: @escaping Implementation) {
        self.function = function
        isMember = member
        self.parameters = parameters
        self.result = result
        self.cost = cost
        self.implementation = implementation
    }

    /// Whether runtime arguments fit the parameters (by kind; element types are not checked).
    func accepts(_ arguments: [CELValue]) -> Bool {
        arguments.count == parameters.count && zip(parameters, arguments).allSatisfy { Self.value($1, fits: $0) }
    }

    private static func value(_ value: CELValue, fits type: CELType) -> Bool {
        switch (type.kind, value) {
        case (.dyn, _), (.parameter, _): true
        case (.int, .int), (.uint, .uint), (.double, .double), (.bool, .bool), (.string, .string), (.bytes, .bytes),
            (.null, .null), (.duration, .duration), (.timestamp, .timestamp), (.quantity, .quantity), (.list, .list),
            (.map, .map), (.object, .map), (.type, .type), (.optional, .optional):
            true
        default: false
        }
    }
}

/// All functions known to the checker and the evaluator, by name.
struct CELFunctionLibrary: Sendable {
    private(set) var overloads: [String: [CELOverload]] = [:]

    /// The standard library, Kubernetes' extension libraries and the strings extension.
    static let kubernetes: CELFunctionLibrary = {
        var library = CELFunctionLibrary()
        for overload in CELStandardFunctions.overloads + CELConversionFunctions.overloads + CELStringFunctions.overloads
            + CELListFunctions.overloads + CELQuantityFunctions.overloads + CELTimeFunctions.overloads
            + CELOptionalFunctions.overloads + CELAuthzFunctions.overloads
        {
            library.overloads[overload.function, default: []].append(overload)
        }
        return library
    }()

    /// The overloads of `function` of the given call style.
    func candidates(_ function: String, member: Bool) -> [CELOverload] {
        (overloads[function] ?? []).filter { $0.isMember == member }
    }

    /// Whether any overload of `function` exists (of either style).
    func declares(_ function: String) -> Bool { overloads[function] != nil }
}
