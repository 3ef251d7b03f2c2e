import Foundation

extension Process {
    /// The finished process's exit code as a shell reports it: 128+n when signal n killed it.
    var shellExitCode: Int32 {
        terminationReason == .uncaughtSignal ? 128 + terminationStatus : terminationStatus
    }
}
