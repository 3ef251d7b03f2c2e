import SkiffAPI
import SkiffProtobuf

/// What the client asked to receive (`Accept`), as upstream's content negotiation decides it.
enum ResponseFormat: Equatable {
    /// Plain JSON objects and lists.
    case json
    /// `meta.k8s.io/v1` `Table` (`application/json;as=Table;v=v1;g=meta.k8s.io`).
    case table
    /// `apidiscovery.k8s.io/v2` aggregated discovery.
    case aggregatedDiscovery
    /// Kubernetes protobuf (`application/vnd.kubernetes.protobuf`), for kinds that have it.
    case protobuf

    static let protobufContentType = KubernetesProtobuf.mediaType
    /// A protobuf watch stream's `Content-Type`.
    static let protobufWatchContentType = KubernetesProtobuf.mediaType + ";stream=watch"

    /// The format of the first acceptable clause of `accept`, clauses taken by quality and then
    /// specificity (`goautoneg`'s order, as upstream); JSON when the header is absent or empty.
    /// `application/yaml` is answered in JSON (a subset of YAML), and so is a JSON clause asking for
    /// a transformation Skiff does not make (`as=PartialObjectMetadata`). Nil when no clause is
    /// acceptable (upstream's `406 NotAcceptable`): protobuf only when `allowsProtobuf` (the kind
    /// has a protobuf form; custom resources do not), and never as a `Table`.
    static func negotiate(_ accept: String?, allowsProtobuf: Bool = false, allowsDiscovery: Bool = false) -> ResponseFormat? {
        guard let accept, !accept.isEmpty else { return .json }
        let clauses = MediaRange.parseAccept(accept)
        for clause in clauses {
            for candidate in [ResponseFormat.json, .protobuf] where clause.matches(candidate.mediaType) {
                if candidate == .protobuf, !allowsProtobuf { continue }
                if let stream = clause.parameters["stream"], stream != "watch" { continue }
                switch (clause.parameters["as"], clause.parameters["g"], clause.parameters["v"]) {
                case (nil, _, _): return candidate
                case ("Table", "meta.k8s.io", "v1"), ("Table", "meta.k8s.io", "v1beta1"):
                    if candidate == .json { return .table }
                case ("APIGroupDiscoveryList", "apidiscovery.k8s.io", "v2") where allowsDiscovery && candidate == .json:
                    return .aggregatedDiscovery
                default: continue
                }
            }
        }
        return clauses.contains { $0.matches(ResponseFormat.json.mediaType) } ? .json : nil
    }

    /// The `406` for an `Accept` nothing in which can be served, naming what can (upstream's
    /// message lists JSON, YAML and, for kinds that have it, protobuf).
    static func notAcceptable(allowsProtobuf: Bool) -> APIError {
        let types = ["application/json", "application/yaml"] + (allowsProtobuf ? [protobufContentType] : [])
        return .notAcceptable("only the following media types are accepted: " + types.joined(separator: ", "))
    }

    /// The media type (type/subtype) a clause must match to choose this format.
    private var mediaType: (type: String, subtype: String) {
        self == .protobuf ? ("application", "vnd.kubernetes.protobuf") : ("application", "json")
    }
}

/// One clause of an `Accept` header: a media range, its parameters and its quality.
struct MediaRange: Equatable {
    var type: String
    var subtype: String
    /// The parameters other than `q`, names lowercased.
    var parameters: [String: String]
    var quality: Double

    /// The clauses of `accept`, best first: by quality, then `type/subtype` before `type/*` before
    /// `*/*`, then more parameters first; otherwise in the header's order.
    static func parseAccept(_ accept: String) -> [MediaRange] {
        let clauses = accept.split(separator: ",").compactMap { MediaRange(clause: $0) }
        return clauses.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if a.quality != b.quality { return a.quality > b.quality }
            if a.specificity != b.specificity { return a.specificity > b.specificity }
            if a.parameters.count != b.parameters.count { return a.parameters.count > b.parameters.count }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    init?(clause: Substring) {
        let parts = clause.split(separator: ";").map { $0.trimmingSpaces() }
        guard let range = parts.first?.lowercased() else { return nil }
        let pieces = range.split(separator: "/", maxSplits: 1).map(String.init)
        type = pieces[0]
        subtype = pieces.count > 1 ? pieces[1] : "*"
        parameters = [:]
        quality = 1
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
            guard pair.count == 2 else { continue }
            if pair[0].lowercased() == "q" {
                quality = Double(pair[1]) ?? 0
            } else {
                parameters[pair[0].lowercased()] = pair[1]
            }
        }
    }

    /// Whether this range covers `mediaType`, exactly or through a wildcard. `application/yaml`
    /// counts as JSON's.
    func matches(_ mediaType: (type: String, subtype: String)) -> Bool {
        if type == "*" && subtype == "*" { return true }
        guard type == mediaType.type else { return false }
        return subtype == "*" || subtype == mediaType.subtype || (subtype == "yaml" && mediaType.subtype == "json")
    }

    /// 2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`.
    private var specificity: Int {
        (type == "*" ? 0 : 1) + (subtype == "*" ? 0 : 1)
    }
}
