import SkiffAPI

/// The kubelet's `/exec/{namespace}/{pod}/{container}` and `/attach/...` requests, with
/// upstream's query (`command` repeated, `input`, `output`, `error`, `tty` as `1`/`0`).
struct StreamRequest: Sendable, Hashable {
    /// What the client asked to do.
    enum Kind: String, Sendable {
        case exec
        case attach
    }

    var kind: Kind
    var namespace: String
    var pod: String
    var container: String
    var command: [String]
    var stdin: Bool
    var stdout: Bool
    var stderr: Bool
    var tty: Bool

    /// Parses the path and query; nil for another path.
    init?(path: String, query: QueryParameters) throws(APIError) {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count == 4, let kind = Kind(rawValue: segments[0]) else { return nil }
        self.kind = kind
        namespace = segments[1]
        pod = segments[2]
        container = segments[3]
        command = query.all("command")
        stdin = try query.bool("input") ?? false
        stdout = try query.bool("output") ?? false
        stderr = try query.bool("error") ?? false
        tty = try query.bool("tty") ?? false
        if kind == .exec, command.isEmpty { throw APIError.badRequest("you must specify at least 1 command") }
        if !(stdin || stdout || stderr) { throw APIError.badRequest("you must specify at least 1 of stdin, stdout, stderr") }
    }
}
