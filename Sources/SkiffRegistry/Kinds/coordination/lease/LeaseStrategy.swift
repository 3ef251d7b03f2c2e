import SkiffAPI

/// Leases (coordination.k8s.io/v1): `HOLDER` is `spec.holderIdentity`.
struct LeaseStrategy: ResourceStrategy {}
