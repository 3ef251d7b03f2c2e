import GRPCCore
import SkiffKubelet

/// A failed CRI call as the kubelet reports it: Go's gRPC wording
/// (`rpc error: code = NotFound desc = …`), which upstream's events and container reasons carry.
enum CRICallError {
    /// Go's names of the gRPC status codes, by number.
    private static let goNames = [
        "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
        "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss",
        "Unauthenticated",
    ]

    /// `error` as a runtime error with `code`, or `notFound` when the runtime said NotFound and
    /// `code` is nil.
    static func runtimeError(_ error: any Error, code: SkiffKubelet.RuntimeError.Code? = nil) -> SkiffKubelet.RuntimeError {
        let code = code ?? (isNotFound(error) ? .notFound : .invalidState)
        guard let rpc = error as? RPCError else { return SkiffKubelet.RuntimeError(code, "\(error)") }
        let name = goNames.indices.contains(rpc.code.rawValue) ? goNames[rpc.code.rawValue] : "Unknown"
        return SkiffKubelet.RuntimeError(code, "rpc error: code = \(name) desc = \(rpc.message)")
    }

    /// Whether the runtime said the object does not exist.
    static func isNotFound(_ error: any Error) -> Bool {
        (error as? RPCError)?.code == .notFound
    }
}
