import SkiffAPI

/// LimitRanges (core/v1): storage, defaults and validation; the `LimitRanger` admission plugin
/// applies them to pods.
struct LimitRangeStrategy: ResourceStrategy {
    static let types = ["Container", "PersistentVolumeClaim", "Pod"]

    /// Upstream's `SetDefaults_LimitRangeItem`: a `Container` item's default limit is its max, and
    /// its default request the default limit, else its min, for each resource left unset.
    func applyDefaults(to object: inout JSONValue) {
        object.editMember("spec") { spec in
            spec.editElements("limits") { item in
                guard item["type"]?.stringValue == "Container" else { return }
                var defaults = item["default"]?.objectValue ?? [:]
                var defaultRequests = item["defaultRequest"]?.objectValue ?? [:]
                for (name, value) in item["max"]?.objectValue ?? [:] where defaults[name] == nil { defaults[name] = value }
                for (name, value) in defaults where defaultRequests[name] == nil { defaultRequests[name] = value }
                for (name, value) in item["min"]?.objectValue ?? [:] where defaultRequests[name] == nil { defaultRequests[name] = value }
                if !defaults.isEmpty { item["default"] = .object(defaults) }
                if !defaultRequests.isEmpty { item["defaultRequest"] = .object(defaultRequests) }
            }
        }
    }
}
