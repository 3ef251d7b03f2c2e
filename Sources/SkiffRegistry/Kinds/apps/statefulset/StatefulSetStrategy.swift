import SkiffAPI

/// StatefulSets (apps/v1): names are DNS labels (they prefix pod host names), the pod spec of
/// the template is not validated (as upstream), and only some spec fields may change.
struct StatefulSetStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }

    var nameRule: NameValidation.Rule { .dns1123Label }

    var initialStatus: JSONValue { ["replicas": 0, "availableReplicas": 0] }
}
