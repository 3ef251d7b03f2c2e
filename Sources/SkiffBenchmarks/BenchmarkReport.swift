/// Where a benchmark writes its result lines (the CLI prints them unbuffered).
public typealias BenchmarkReport = @Sendable (String) -> Void

/// A benchmark could not run or finish.
public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
