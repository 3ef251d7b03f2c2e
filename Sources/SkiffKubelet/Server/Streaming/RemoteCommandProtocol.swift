import SkiffAPI

/// The `v4.channel.k8s.io` and `v5.channel.k8s.io` WebSocket subprotocols of exec and attach:
/// every binary message is one channel's data, its first byte the channel's number. v5 adds the
/// close signal (`[255, channel]`), with which the client ends its stdin.
enum RemoteCommandProtocol {
    /// The subprotocols served, preferred first (kubectl 1.32 offers v5 first).
    static let supported = ["v5.channel.k8s.io", "v4.channel.k8s.io"]

    /// The channel numbers.
    enum Channel: UInt8, Sendable {
        case stdin = 0
        case stdout = 1
        case stderr = 2
        /// Where the server writes the outcome, a `Status`, before it closes.
        case error = 3
        /// Terminal size changes from the client (TTY sessions).
        case resize = 4
        /// v5: the client closes one of its channels (the payload's byte).
        case close = 255
    }

    /// One channel's message as it goes over the wire.
    static func encode(_ channel: Channel, _ payload: some Collection<UInt8>) -> [UInt8] {
        [channel.rawValue] + payload
    }

    /// The channel and payload of a message; nil for an empty message or an unknown channel.
    static func decode(_ message: [UInt8]) -> (channel: Channel, payload: ArraySlice<UInt8>)? {
        guard let first = message.first, let channel = Channel(rawValue: first) else { return nil }
        return (channel, message.dropFirst())
    }

    /// The `Status` written on the error channel when the command has ended, as upstream's
    /// streaming server writes it: `Success` for exit code 0, else `NonZeroExitCode` with the
    /// code as the `ExitCode` cause (kubectl exits with it).
    static func exitStatus(_ code: Int32, command: [String]) -> JSONValue {
        guard code != 0 else { return ["metadata": .emptyObject, "status": "Success"] }
        return [
            "metadata": .emptyObject, "status": "Failure",
            "message": .string("command terminated with non-zero exit code: error executing command [\(command.joined(separator: " "))], exit code \(code)"),
            "reason": "NonZeroExitCode",
            "details": ["causes": [["reason": "ExitCode", "message": .string(String(code))]]],
        ]
    }

    /// The `Status` for a command that could not be run (upstream: an `InternalError`).
    static func failureStatus(_ message: String) -> JSONValue {
        let cause = "error executing command in container: \(message)"
        return [
            "metadata": .emptyObject, "status": "Failure", "message": .string("Internal error occurred: \(cause)"),
            "reason": "InternalError", "details": ["causes": [["message": .string(cause)]]], "code": 500,
        ]
    }
}
