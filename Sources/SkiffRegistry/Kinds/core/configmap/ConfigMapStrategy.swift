import SkiffAPI

/// ConfigMaps: valid keys, immutability once `immutable` is set, and a `DATA` column counting
/// `data` and `binaryData` entries.
struct ConfigMapStrategy: ResourceStrategy {}
