import SkiffAPI

/// A PriorityLevelConfiguration as the dispatcher reads it: exempt (never limited, never queued)
/// or limited, with its share of the server's concurrency and what happens to a request that
/// finds every seat taken (rejected at once, or queued).
struct PriorityLevelPolicy: Sendable, Hashable {
    /// Upstream's `QueuingConfiguration`.
    struct Queuing: Sendable, Hashable {
        var queues: Int
        var handSize: Int
        var queueLengthLimit: Int
    }

    var name: String
    var uid: String
    var isExempt: Bool
    var nominalConcurrencyShares: Int
    var lendablePercent: Int
    /// nil: a request over the limit is rejected (`limitResponse.type: Reject`).
    var queuing: Queuing?

    /// The nominal concurrency limit and the limit the level runs with (upstream's initial
    /// `currentCL`: the nominal limit less half the lendable seats; borrowing between levels is
    /// not built, so it stays there).
    struct Limits: Sendable, Hashable {
        var nominal: Int
        var current: Int
    }

    /// This level's limits when the server's limit is `serverLimit` and all levels' shares add up
    /// to `shareSum` (upstream: `ceil(serverLimit * shares / shareSum)`, the lendable part
    /// `round(nominal * lendablePercent / 100)`).
    func limits(serverLimit: Int, shareSum: Int) -> Limits {
        guard shareSum > 0 else { return Limits(nominal: 0, current: 0) }
        let nominal = (serverLimit * nominalConcurrencyShares + shareSum - 1) / shareSum
        let lendable = Int((Double(nominal * lendablePercent) / 100).rounded(.toNearestOrAwayFromZero))
        return Limits(nominal: nominal, current: nominal - lendable / 2)
    }
}

extension PriorityLevelPolicy {
    /// The level a stored PriorityLevelConfiguration describes, with the registry's defaults for
    /// what it leaves out.
    init(_ object: JSONValue) {
        let spec = object["spec"] ?? .emptyObject
        name = object.name ?? ""
        uid = object.uid ?? ""
        isExempt = spec["type"]?.stringValue == "Exempt"
        let commons = (isExempt ? spec["exempt"] : spec["limited"]) ?? .emptyObject
        nominalConcurrencyShares = Int(commons["nominalConcurrencyShares"]?.intValue ?? (isExempt ? 0 : 30))
        lendablePercent = Int(commons["lendablePercent"]?.intValue ?? 0)
        if !isExempt, spec[path: "limited", "limitResponse", "type"]?.stringValue == "Queue" {
            let queuing = spec[path: "limited", "limitResponse", "queuing"] ?? .emptyObject
            self.queuing = Queuing(queues: Int(queuing["queues"]?.intValue ?? 64), handSize: Int(queuing["handSize"]?.intValue ?? 8),
                                   queueLengthLimit: Int(queuing["queueLengthLimit"]?.intValue ?? 50))
        }
    }
}
