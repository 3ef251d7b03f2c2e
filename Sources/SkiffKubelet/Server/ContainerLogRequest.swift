import SkiffAPI
import SkiffAPIServer

/// The options of `GET /containerLogs/{namespace}/{pod}/{container}` (upstream's `PodLogOptions`).
struct ContainerLogRequest: Sendable, Hashable {
    var namespace: String
    var pod: String
    var container: String
    var follow = false
    var previous = false
    var timestamps = false
    var tailLines: Int64?
    var sinceSeconds: Int64?

    /// Parses the path segments after `containerLogs` and the query; nil for another path.
    init?(path: String, query: QueryParameters) throws(APIError) {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count == 4, segments[0] == "containerLogs" else { return nil }
        namespace = segments[1]
        pod = segments[2]
        container = segments[3]
        follow = try query.bool("follow") ?? false
        previous = try query.bool("previous") ?? false
        timestamps = try query.bool("timestamps") ?? false
        tailLines = try query.int("tailLines")
        sinceSeconds = try query.int("sinceSeconds")
    }

    /// One CRI log record (`<time> <stream> <F|P> <text>`) as the client sees it, or nil when
    /// it is older than `sinceSeconds` allows.
    func render(_ record: String, now: Timestamp) -> String? {
        let fields = record.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4 else { return record + "\n" }
        if let sinceSeconds, let time = Timestamp(rfc3339: String(fields[0])), time < now.adding(seconds: -sinceSeconds) { return nil }
        let text = String(fields[3]) + (fields[2] == "P" ? "" : "\n")
        return timestamps ? "\(fields[0]) \(text)" : text
    }
}
