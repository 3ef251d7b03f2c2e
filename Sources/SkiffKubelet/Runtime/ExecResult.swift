/// The outcome of an exec.
public struct ExecResult: Sendable, Hashable {
    /// The command's exit code.
    public var exitCode: Int32
    /// What it wrote to standard output.
    public var stdout: String
    /// What it wrote to standard error.
    public var stderr: String

    /// An outcome with its output.
    public init(exitCode: Int32, stdout: String = "", stderr: String = "") {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}
