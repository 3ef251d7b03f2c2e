import SkiffAPI

/// HorizontalPodAutoscalers (autoscaling/v2, the storage version): status kept on main-resource
/// writes, generation tracking, REFERENCE/TARGETS/MINPODS/MAXPODS/REPLICAS columns. The
/// autoscaling controller is not served yet. autoscaling/v1 is a view of the same storage
/// (`HorizontalPodAutoscalerV1Strategy`).
struct HorizontalPodAutoscalerStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { ["desiredReplicas": 0] }

    var tracksGeneration: Bool { true }
}
