import SkiffAPI

/// The kubelet's side of a container runtime's streaming server (the URL CRI's `Exec`, `Attach`
/// and `PortForward` answer with), as upstream's kubelet proxies to it: SPDY/3.1 with the
/// `v4.channel.k8s.io` remote command protocol (one stream each for the error status, stdin,
/// stdout, stderr and terminal sizes; the end of stdin a FIN) and `portforward.k8s.io`. The
/// client's own protocol (WebSocket `v5.channel.k8s.io`, SPDY port-forward) ends at the kubelet's
/// sessions, which hand the streams over, so every client protocol reaches the runtime this way.
public enum StreamingServerClient {
    /// The remote command protocol spoken to the runtime.
    static let remoteCommandProtocol = "v4.channel.k8s.io"
    /// The port-forward protocol spoken to the runtime.
    static let portForwardProtocol = "portforward.k8s.io"

    /// Runs the exec or attach session at `url` with `streams` until the runtime ends it; returns
    /// the exit code its status names (0 for `Success`). The runtime must have been asked for
    /// stdin when `streams.stdin` is set, stdout, stderr unless `streams.tty`, and `streams.tty`.
    public static func remoteCommand(url: String, _ streams: ExecStreams) async throws -> Int32 {
        let connection = try await SPDYClientConnection.connect(url: url, protocols: [remoteCommandProtocol])
        defer { connection.close() }
        let open = { (type: String) in connection.openStream([SPDYHeader(name: "streamType", value: type)]) }
        let error = open("error")
        let stdin = streams.stdin.map { _ in open("stdin") }
        let stdout = open("stdout")
        let stderr = streams.tty ? nil : open("stderr")
        let resize = streams.tty ? open("resize") : nil
        let feeding = Task {
            await withTaskGroup(of: Void.self) { group in
                if let stdin, let input = streams.stdin {
                    group.addTask {
                        for await chunk in input { connection.send(stdin, chunk) }
                        connection.finish(stdin)
                    }
                }
                if let resize, let sizes = streams.resize {
                    group.addTask {
                        for await size in sizes {
                            connection.send(resize, Array("{\"Width\":\(size.width),\"Height\":\(size.height)}\n".utf8))
                        }
                    }
                }
            }
        }
        defer { feeding.cancel() }
        let status = await withTaskGroup(of: [UInt8].self) { group in
            group.addTask {
                for await chunk in stdout.inbound { await streams.output(.stdout, chunk) }
                return []
            }
            if let stderr {
                group.addTask {
                    for await chunk in stderr.inbound { await streams.output(.stderr, chunk) }
                    return []
                }
            }
            group.addTask { await error.inbound.reduce([], +) }
            return await group.reduce([], +)
        }
        return try exitCode(status: status)
    }

    /// The exit code of the status the runtime wrote on the error stream: nothing or `Success` is
    /// 0, `NonZeroExitCode` the `ExitCode` cause; any other failure is thrown as it came
    /// (`RemoteCommandFailure`), for the client to see the runtime's own status.
    static func exitCode(status bytes: [UInt8]) throws -> Int32 {
        guard !bytes.isEmpty else { return 0 }
        guard let status = try? JSONValue(parsing: bytes) else {
            throw RuntimeError(.invalidState, "error stream: \(String(decoding: bytes, as: UTF8.self))")
        }
        if status["status"]?.stringValue == "Success" { return 0 }
        if status["reason"]?.stringValue == "NonZeroExitCode",
            let cause = status["details"]?["causes"]?.arrayValue?.first(where: { $0["reason"]?.stringValue == "ExitCode" }),
            let code = cause["message"]?.stringValue.flatMap({ Int32($0) })
        {
            return code
        }
        throw RemoteCommandFailure(status: status)
    }

    /// A connection to `port` through the port-forward session at `url`: one error and one data
    /// stream; the error stream's text, once the data stream ended, is the connection's failure.
    public static func portForward(url: String, port: Int) async throws -> PodPortConnection {
        let connection = try await SPDYClientConnection.connect(url: url, protocols: [portForwardProtocol])
        let headers = { (type: String) in
            [SPDYHeader(name: "streamType", value: type), SPDYHeader(name: "port", value: String(port)), SPDYHeader(name: "requestID", value: "0")]
        }
        let error = connection.openStream(headers("error"))
        let data = connection.openStream(headers("data"))
        let failure = Task { await error.inbound.reduce([], +) }
        return PodPortConnection(
            inbound: data.inbound, write: { connection.send(data, $0) }, closeOutput: { connection.finish(data) }, close: { connection.close() },
            failure: {
                let text = String(decoding: await failure.value, as: UTF8.self)
                return text.isEmpty ? nil : text
            })
    }
}

/// A remote command the runtime's streaming server ended with a failure `Status` (the command
/// could not be run): the exec session hands that status to the client unchanged, as upstream's
/// kubelet, which proxies the runtime's stream, does.
struct RemoteCommandFailure: Error, CustomStringConvertible {
    /// The runtime's `Status`.
    var status: JSONValue

    var description: String { status["message"]?.stringValue ?? status.serializedString() }
}
