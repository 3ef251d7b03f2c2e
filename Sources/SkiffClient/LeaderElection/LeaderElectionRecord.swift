import SkiffAPI

/// Who holds a lock, as a `coordination.k8s.io/v1` Lease spec records it.
public struct LeaderElectionRecord: Sendable, Equatable {
    /// The holder; empty when released.
    public var holderIdentity: String
    public var leaseDurationSeconds: Int
    public var acquireTime: Timestamp?
    public var renewTime: Timestamp?
    /// How many times the lease changed hands.
    public var leaseTransitions: Int

    public init(
        holderIdentity: String, leaseDurationSeconds: Int, acquireTime: Timestamp? = nil, renewTime: Timestamp? = nil,
        leaseTransitions: Int = 0
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// Reads the record from a Lease's spec.
    init(lease: JSONValue) {
        let spec = lease["spec"] ?? .emptyObject
        self.init(
            holderIdentity: spec["holderIdentity"]?.stringValue ?? "",
            leaseDurationSeconds: Int(spec["leaseDurationSeconds"]?.intValue ?? 0),
            acquireTime: spec["acquireTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
            renewTime: spec["renewTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
            leaseTransitions: Int(spec["leaseTransitions"]?.intValue ?? 0))
    }

    /// The Lease spec, times in MicroTime format (`2006-01-02T15:04:05.000000Z`).
    var spec: JSONValue {
        var spec: JSONValue = [
            "holderIdentity": .string(holderIdentity), "leaseDurationSeconds": .int(Int64(leaseDurationSeconds)),
            "leaseTransitions": .int(Int64(leaseTransitions)),
        ]
        if let acquireTime { spec["acquireTime"] = .string(acquireTime.rfc3339Micro) }
        if let renewTime { spec["renewTime"] = .string(renewTime.rfc3339Micro) }
        return spec
    }
}
