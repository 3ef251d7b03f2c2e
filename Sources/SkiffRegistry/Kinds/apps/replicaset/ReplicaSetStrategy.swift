import SkiffAPI

/// ReplicaSets (apps/v1): `status.replicas` is selectable; DESIRED/CURRENT/READY columns.
struct ReplicaSetStrategy: ReplicaCountingStrategy {}
