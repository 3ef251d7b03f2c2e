import SkiffAPI

extension EndpointSliceStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.editElements("ports") { port in
            port.setDefault("name", "")
            port.setDefault("protocol", "TCP")
        }
    }
}
