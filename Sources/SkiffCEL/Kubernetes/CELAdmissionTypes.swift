/// Upstream's hand-made types of the admission variables `request` (an `AdmissionRequest`
/// without `uid`, `object` and `oldObject`) and `namespaceObject` (a `Namespace` with the
/// metadata fields upstream keeps, `UID` spelled as upstream spells it), field by field.
enum CELAdmissionTypes {
    private static let strings = CELType.list(.string)
    private static let groupVersionKind = CELAuthorizer.objectType(
        "kubernetes.GroupVersionKind", fields: ["group": .string, "version": .string, "kind": .string])
    private static let groupVersionResource = CELAuthorizer.objectType(
        "kubernetes.GroupVersionResource", fields: ["group": .string, "version": .string, "resource": .string])
    private static let userInfo = CELAuthorizer.objectType(
        "kubernetes.UserInfo", fields: ["username": .string, "uid": .string, "groups": strings, "extra": .map(.string, strings)])

    /// The type of `request`.
    static let request = CELAuthorizer.objectType("kubernetes.AdmissionRequest", fields: [
        "kind": groupVersionKind, "resource": groupVersionResource, "subResource": .string,
        "requestKind": groupVersionKind, "requestResource": groupVersionResource, "requestSubResource": .string,
        "name": .string, "namespace": .string, "operation": .string, "userInfo": userInfo, "dryRun": .bool, "options": .dyn,
    ])

    /// The type of `namespaceObject`.
    static let namespace = CELAuthorizer.objectType("kubernetes.Namespace", fields: [
        "metadata": CELAuthorizer.objectType("kubernetes.NamespaceMetadata", fields: [
            "name": .string, "generateName": .string, "namespace": .string, "labels": .map(.string, .string),
            "annotations": .map(.string, .string), "UID": .string, "creationTimestamp": .timestamp,
            "deletionGracePeriodSeconds": .int, "deletionTimestamp": .timestamp, "generation": .int,
            "resourceVersion": .string, "finalizers": strings,
        ]),
        "spec": CELAuthorizer.objectType("kubernetes.NamespaceSpec", fields: ["finalizers": strings]),
        "status": CELAuthorizer.objectType("kubernetes.NamespaceStatus", fields: [
            "conditions": .list(CELAuthorizer.objectType("kubernetes.NamespaceCondition", fields: [
                "status": .string, "type": .string, "lastTransitionTime": .timestamp, "message": .string, "reason": .string,
            ])),
            "phase": .string,
        ]),
    ])
}
