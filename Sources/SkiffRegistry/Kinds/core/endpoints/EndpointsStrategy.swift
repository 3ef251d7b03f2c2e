import SkiffAPI

/// Endpoints: port protocols default to TCP; `ENDPOINTS` lists up to three `ip:port` pairs,
/// then `+ N more...`.
struct EndpointsStrategy: ResourceStrategy {}
