/// A compile-time problem in an expression (syntax or type), located in the source the way
/// cel-go reports it: `ERROR: <input>:1:5: Syntax error: …` followed by the source line and a caret.
public struct CELCompileError: Error, Sendable, CustomStringConvertible, Equatable {
    /// One located issue.
    public struct Issue: Sendable, Equatable {
        /// The message without location (`undefined field 'foo'`).
        public var message: String
        /// The 1-based line of the issue.
        public var line: Int
        /// The 0-based column of the issue (cel-go prints it 1-based).
        public var column: Int
    }

    /// The issues, in source order.
    public var issues: [Issue]
    /// The expression's text, for the snippet under each issue.
    public var source: String

    /// All issues in cel-go's format, separated by newlines.
    public var description: String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        return issues.map { issue in
            var text = "ERROR: <input>:\(issue.line):\(issue.column + 1): \(issue.message)"
            if issue.line - 1 < lines.count {
                let line = String(lines[issue.line - 1])
                text += "\n | \(line)\n | " + String(repeating: ".", count: issue.column) + "^"
            }
            return text
        }.joined(separator: "\n")
    }
}

/// An error raised while evaluating an expression (`no such key: foo`, `division by zero`,
/// `integer overflow`, `operation cancelled: actual cost limit exceeded`).
public struct CELEvaluationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The kind of failure, as callers need to tell them apart.
    public enum Kind: Sendable, Equatable {
        /// A value-level error: missing key, overflow, division by zero, bad conversion.
        case invalid
        /// No overload of the function accepts the runtime argument types.
        case noSuchOverload
        /// The runtime cost limit was exceeded.
        case costLimitExceeded
        /// An authorization check whose decision the `authorizer` value does not carry yet
        /// (`pendingCheck`): the caller authorizes it and evaluates again.
        case authorizationPending
    }

    /// The kind of failure.
    public var kind: Kind
    /// The message as cel-go words it.
    public var message: String

    /// Creates an error.
    public init(_ message: String, kind: Kind = .invalid) {
        self.message = message
        self.kind = kind
    }

    /// The check an `.authorizationPending` error waits for.
    public var pendingCheck: CELAuthorizationCheck?

    /// The error of a check whose decision is not known yet.
    init(pending check: CELAuthorizationCheck) {
        self.init("authorization check pending", kind: .authorizationPending)
        pendingCheck = check
    }

    /// The message.
    public var description: String { message }

    static func noSuchOverload(_ function: String) -> CELEvaluationError {
        CELEvaluationError("no such overload: \(function)", kind: .noSuchOverload)
    }

    static let costLimit = CELEvaluationError("operation cancelled: actual cost limit exceeded", kind: .costLimitExceeded)
    static let overflow = CELEvaluationError("integer overflow")
}

/// A position in the source: byte offset, line and column.
public struct CELSourcePosition: Sendable, Equatable {
    /// The 1-based line.
    public var line: Int
    /// The 0-based column, in characters.
    public var column: Int
    /// The character offset from the start of the source.
    public var offset: Int
}
