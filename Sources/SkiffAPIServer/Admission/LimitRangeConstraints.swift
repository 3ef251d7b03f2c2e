import SkiffAPI
import SkiffComponentHelpers

/// The checks of one LimitRange item against a container's (or a pod's) requests and limits,
/// with upstream's messages (`maximum cpu usage per Container is 1, but limit is 2`).
struct LimitRangeConstraints {
    /// `Container` or `Pod`.
    let limitType: String
    let requests: ResourceAmounts
    let limits: ResourceAmounts

    /// Every violation of the item's `min`, `max` and `maxLimitRequestRatio`, resources in name order.
    func violations(of item: JSONValue) -> [String] {
        var messages: [String] = []
        let minimums = ResourceAmounts(json: item["min"])
        for name in minimums.amounts.keys.sorted() {
            if let message = minimum(name, minimums) { messages.append(message) }
        }
        let maximums = ResourceAmounts(json: item["max"])
        for name in maximums.amounts.keys.sorted() {
            if let message = maximum(name, maximums) { messages.append(message) }
        }
        let ratios = ResourceAmounts(json: item["maxLimitRequestRatio"])
        for name in ratios.amounts.keys.sorted() {
            if let message = ratio(name, ratios) { messages.append(message) }
        }
        return messages
    }

    private func minimum(_ name: String, _ enforced: ResourceAmounts) -> String? {
        let bound = enforced.formatted(name) ?? ""
        guard let request = requests[name] else { return "minimum \(name) usage per \(limitType) is \(bound).  No request is specified" }
        if request < enforced[name]! { return "minimum \(name) usage per \(limitType) is \(bound), but request is \(requests.formatted(name)!)" }
        if let limit = limits[name], limit < enforced[name]! {
            return "minimum \(name) usage per \(limitType) is \(bound), but limit is \(limits.formatted(name)!)"
        }
        return nil
    }

    private func maximum(_ name: String, _ enforced: ResourceAmounts) -> String? {
        let bound = enforced.formatted(name) ?? ""
        guard let limit = limits[name] else { return "maximum \(name) usage per \(limitType) is \(bound).  No limit is specified" }
        if limit > enforced[name]! { return "maximum \(name) usage per \(limitType) is \(bound), but limit is \(limits.formatted(name)!)" }
        if let request = requests[name], request > enforced[name]! {
            return "maximum \(name) usage per \(limitType) is \(bound), but request is \(requests.formatted(name)!)"
        }
        return nil
    }

    private func ratio(_ name: String, _ enforced: ResourceAmounts) -> String? {
        let bound = enforced.formatted(name) ?? ""
        guard let request = requests[name], request.isPositive else {
            return "\(name) max limit to request ratio per \(limitType) is \(bound), but no request is specified or request is 0"
        }
        guard let limit = limits[name], limit.isPositive else {
            return "\(name) max limit to request ratio per \(limitType) is \(bound), but no limit is specified or limit is 0"
        }
        let observed = Double(limit.nanos) / Double(request.nanos)
        guard observed > Double(enforced[name]!.nanos) / 1e9 else { return nil }
        return "\(name) max limit to request ratio per \(limitType) is \(bound), but provided ratio is \(Self.goFloat(observed))"
    }

    /// A ratio as Go's `%f` prints it (six decimals).
    private static func goFloat(_ value: Double) -> String {
        let scaled = (value * 1_000_000).rounded()
        let whole = Int64(scaled / 1_000_000)
        let fraction = Int64(scaled) - whole * 1_000_000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
