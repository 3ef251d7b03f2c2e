/// A runtime call that failed.
public struct RuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable {
        /// No sandbox or container by that ID.
        case notFound
        /// The call does not fit the object's state (starting a running container).
        case invalidState
        /// The image could not be pulled (`ErrImagePull`).
        case imagePull
        /// The image is absent and the pull policy is `Never` (`ErrImageNeverPull`).
        case imageNeverPull
        /// The container could not be created from its spec (`CreateContainerError`).
        case createContainer
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong, for people.
    public var message: String

    /// An error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
