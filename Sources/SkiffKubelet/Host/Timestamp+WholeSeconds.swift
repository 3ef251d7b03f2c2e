import SkiffAPI

extension Timestamp {
    /// The time as a `meta/v1 Time` field carries it (whole seconds): what the kubelet writes
    /// into statuses, so that a status read back compares equal to the one computed.
    var wholeSeconds: Timestamp { Timestamp(seconds: seconds) }
}
