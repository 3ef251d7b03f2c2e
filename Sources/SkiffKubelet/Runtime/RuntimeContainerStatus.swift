import SkiffAPI

/// A container's state as the runtime reports it.
public struct RuntimeContainerStatus: Sendable, Hashable {
    /// Where the container is in its life.
    public enum State: Sendable, Hashable {
        case created
        case running
        case exited
    }

    /// The runtime's ID of the container.
    public var id: String
    /// Created, running or exited.
    public var state: State
    /// The image as the runtime resolved it (`docker.io/library/nginx:latest`) and its digest reference.
    public var image: String
    /// The image by digest (`repository@sha256:…`).
    public var imageID: String
    /// When it was created.
    public var createdAt: Timestamp
    /// When it started, once started.
    public var startedAt: Timestamp?
    /// When it exited, once exited.
    public var finishedAt: Timestamp?
    /// The exit code, once exited.
    public var exitCode: Int32
    /// Why it exited (`Completed`, `Error`), once exited.
    public var reason: String

    /// A status as a runtime reports it.
    public init(
        id: String, state: State, image: String, imageID: String, createdAt: Timestamp, startedAt: Timestamp? = nil,
        finishedAt: Timestamp? = nil, exitCode: Int32 = 0, reason: String = ""
    ) {
        self.id = id
        self.state = state
        self.image = image
        self.imageID = imageID
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.reason = reason
    }
}
