import SkiffAPI
import SkiffKubelet

extension RuntimeContainerStatus {
    /// The kubelet's view of a CRI `ContainerStatus`: the image as the daemon names it, the
    /// image ID its `image_ref`, times from nanoseconds (0: not yet), and the daemon's reason
    /// (`Completed`, `Error`, `OOMKilled`), else one from the exit code.
    init(_ status: Runtime_V1_ContainerStatus) {
        let state: State
        switch status.state {
        case .containerCreated: state = .created
        case .containerRunning: state = .running
        default: state = .exited
        }
        self.init(
            id: status.id, state: state, image: status.image.image, imageID: status.imageRef,
            createdAt: Timestamp(nanosecondsSinceEpoch: status.createdAt) ?? .now(), startedAt: Timestamp(nanosecondsSinceEpoch: status.startedAt),
            finishedAt: Timestamp(nanosecondsSinceEpoch: status.finishedAt), exitCode: status.exitCode)
        if state == .exited { reason = status.reason.isEmpty ? (status.exitCode == 0 ? "Completed" : "Error") : status.reason }
    }
}

extension Timestamp {
    /// A CRI time (nanoseconds since the epoch); nil for 0, CRI's "not set".
    init?(nanosecondsSinceEpoch nanoseconds: Int64) {
        guard nanoseconds > 0 else { return nil }
        self.init(seconds: nanoseconds / 1_000_000_000, nanoseconds: Int32(nanoseconds % 1_000_000_000))
    }
}
