/// How a simulated container behaves once started: it runs forever, or exits after
/// `runSeconds` with `exitCode`.
public struct SimulatedBehaviour: Sendable, Hashable {
    /// Seconds until the container exits on its own; nil: it runs until stopped.
    public var runSeconds: Double?
    /// The exit code when it exits on its own.
    public var exitCode: Int32

    /// A behaviour: run forever by default.
    public init(runSeconds: Double? = nil, exitCode: Int32 = 0) {
        self.runSeconds = runSeconds
        self.exitCode = exitCode
    }
}
