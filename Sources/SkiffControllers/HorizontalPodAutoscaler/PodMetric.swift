import SkiffAPI

/// One pod's usage of a resource as the metrics API reports it (upstream's `PodMetric`): the
/// sum over its containers (or the one container a `ContainerResource` metric names), in
/// thousandths of the unit (millicores, millibytes), with when and over what window it was taken.
struct PodMetric: Sendable, Equatable {
    var timestamp: Timestamp
    var window: Duration
    var milliValue: Int64
}

/// What a replica calculation found (upstream's `GetResourceReplicas` results).
struct ReplicaProposal: Sendable, Equatable {
    var replicas: Int32
    /// The average utilization of requests in percent (nil for an average-value target).
    var utilization: Int32?
    /// The average usage per pod, in thousandths.
    var rawAverage: Int64
}

/// Why replicas could not be calculated; the messages are upstream's.
struct ReplicaCalculationError: Error, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
