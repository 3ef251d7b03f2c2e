import Foundation

extension ClientConfiguration {
    /// The environment variable a program's request-log verbosity is read from when it sets
    /// none (`SKIFF_CLIENT_VERBOSITY=8` logs as `kubectl -v 8`).
    public static let verbosityVariable = "SKIFF_CLIENT_VERBOSITY"

    /// The verbosity `SKIFF_CLIENT_VERBOSITY` names; 0 when unset or not a number.
    public static func environmentVerbosity(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        environment[verbosityVariable].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// The configuration logging its requests at `verbosity` to standard error (an example's `-v` flag).
    public func verbosity(_ verbosity: Int) -> ClientConfiguration {
        var copy = self
        copy.requestLog = .standardError(verbosity: verbosity, source: Self.requestLogSource)
        return copy
    }

    /// The source named in the request log's lines.
    static let requestLogSource = "skiff-client"
}
