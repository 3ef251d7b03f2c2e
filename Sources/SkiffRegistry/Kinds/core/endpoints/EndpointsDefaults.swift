import SkiffAPI

extension EndpointsStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.editElements("subsets") { $0.editElements("ports") { $0.setDefault("protocol", "TCP") } }
    }
}
