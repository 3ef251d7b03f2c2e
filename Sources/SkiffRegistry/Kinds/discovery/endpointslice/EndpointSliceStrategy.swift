import SkiffAPI

/// EndpointSlices (discovery.k8s.io/v1): ports default to TCP with an empty name; the address
/// type is required and immutable; ADDRESSTYPE/PORTS/ENDPOINTS columns.
struct EndpointSliceStrategy: ResourceStrategy {}
