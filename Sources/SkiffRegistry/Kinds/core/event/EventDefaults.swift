import Foundation
import SkiffAPI

extension EventStrategy {
    /// The members upstream always writes: zero timestamps as `null`, empty reporting fields,
    /// an empty source and involved object.
    func applyDefaults(to object: inout JSONValue) {
        for field in ["eventTime", "firstTimestamp", "lastTimestamp"] where object[field] == nil { object[field] = .null }
        object.setDefault("reportingComponent", "")
        object.setDefault("reportingInstance", "")
        object.setDefault("source", .emptyObject)
        object.setDefault("involvedObject", .emptyObject)
    }
}
