import SkiffAPI

/// What the client asked to receive (`Accept`), as upstream's content negotiation decides it.
enum ResponseFormat: Equatable {
    /// Plain JSON objects and lists.
    case json
    /// `meta.k8s.io/v1` `Table` (`application/json;as=Table;v=v1;g=meta.k8s.io`).
    case table
    /// `apidiscovery.k8s.io/v2` aggregated discovery.
    case aggregatedDiscovery

    /// The first acceptable format in the `Accept` header; JSON when nothing specific is asked.
    static func negotiate(_ accept: String?, allowsDiscovery: Bool = false) -> ResponseFormat {
        guard let accept, !accept.isEmpty else { return .json }
        for clause in accept.split(separator: ",") {
            let parts = clause.split(separator: ";").map { $0.trimmingSpaces() }
            guard let type = parts.first?.lowercased() else { continue }
            var parameters: [String: String] = [:]
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                if pair.count == 2 { parameters[pair[0]] = pair[1] }
            }
            guard type == "application/json" || type == "*/*" || type == "application/*" else { continue }
            switch (parameters["as"], parameters["g"], parameters["v"]) {
            case (nil, _, _): return .json
            case ("Table", "meta.k8s.io", "v1"), ("Table", "meta.k8s.io", "v1beta1"): return .table
            case ("APIGroupDiscoveryList", "apidiscovery.k8s.io", "v2") where allowsDiscovery: return .aggregatedDiscovery
            default: continue
            }
        }
        return .json
    }
}
