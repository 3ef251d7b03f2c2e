import SkiffAPI

/// The stable identity of a StatefulSet's pods (upstream's `stateful_set_utils.go`): the name
/// `<set>-<ordinal>`, host name and subdomain, identity labels, the revision label, and the
/// claims `<template>-<set>-<ordinal>` mounted in place of the template's volumes.
enum StatefulSetIdentity {
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    static let podIndexLabel = "apps.kubernetes.io/pod-index"
    static let revisionLabel = "controller-revision-hash"

    /// The parent name and ordinal of a pod named `<parent>-<ordinal>`, or nil.
    static func parentAndOrdinal(of podName: String) -> (parent: String, ordinal: Int)? {
        guard let dash = podName.lastIndex(of: "-") else { return nil }
        let digits = podName[podName.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let ordinal = Int(digits) else { return nil }
        return (String(podName[..<dash]), ordinal)
    }

    /// The ordinal of `pod` when its name makes it a member of the set `setName`.
    static func ordinal(of pod: JSONValue, inSet setName: String) -> Int? {
        guard let identity = parentAndOrdinal(of: pod.name ?? ""), identity.parent == setName else { return nil }
        return identity.ordinal
    }

    /// The first ordinal (`spec.ordinals.start`, 0 by default).
    static func startOrdinal(of set: JSONValue) -> Int {
        Int(set[path: "spec", "ordinals", "start"]?.intValue ?? 0)
    }

    /// The revision a pod was created from (its `controller-revision-hash` label).
    static func revision(of pod: JSONValue) -> String { pod.labels[revisionLabel] ?? "" }

    static func claimName(template: JSONValue, setName: String, ordinal: Int) -> String {
        "\(template[path: "metadata", "name"]?.stringValue ?? "")-\(setName)-\(ordinal)"
    }

    /// The pod of `ordinal` from `template` (the set's, or an older revision's), labelled with `revision`.
    static func pod(of set: JSONValue, template: JSONValue, ordinal: Int, revision: String, controllerReference: JSONValue) -> JSONValue {
        let setName = set.name ?? ""
        let name = "\(setName)-\(ordinal)"
        var pod = PodControl.pod(
            from: template, metadata: ["name": .string(name), "namespace": .string(set.namespace ?? ""), "ownerReferences": [controllerReference]])
        var labels = pod.labels
        labels[podNameLabel] = name
        labels[podIndexLabel] = String(ordinal)
        labels[revisionLabel] = revision
        pod.labels = labels
        pod[path: "spec", "hostname"] = .string(name)
        if let service = set[path: "spec", "serviceName"]?.stringValue, !service.isEmpty {
            pod[path: "spec", "subdomain"] = .string(service)
        }
        let claims = set[path: "spec", "volumeClaimTemplates"]?.arrayValue ?? []
        if !claims.isEmpty {
            let claimVolumes: [JSONValue] = claims.map { claim in
                [
                    "name": claim[path: "metadata", "name"] ?? "",
                    "persistentVolumeClaim": ["claimName": .string(claimName(template: claim, setName: setName, ordinal: ordinal))],
                ]
            }
            let claimNames = Set(claimVolumes.compactMap { $0["name"]?.stringValue })
            let others = (pod[path: "spec", "volumes"]?.arrayValue ?? []).filter { !claimNames.contains($0["name"]?.stringValue ?? "") }
            pod[path: "spec", "volumes"] = .array(claimVolumes + others)
        }
        return pod
    }

    /// The claims of `ordinal` (upstream's `getPersistentVolumeClaims`): each template named
    /// `<template>-<set>-<ordinal>`, labelled with the template's labels and the set's
    /// `matchLabels`; with `whenDeleted: Delete` the set owns them.
    static func claims(of set: JSONValue, ordinal: Int, setReference: JSONValue) -> [JSONValue] {
        let setName = set.name ?? ""
        let matchLabels = set[path: "spec", "selector", "matchLabels"]?.objectValue ?? [:]
        let deleteWithSet = set[path: "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"] == "Delete"
        return (set[path: "spec", "volumeClaimTemplates"]?.arrayValue ?? []).map { template in
            var labels = template[path: "metadata", "labels"]?.objectValue ?? [:]
            labels.merge(matchLabels) { _, selector in selector }
            var metadata: JSONValue = [
                "name": .string(claimName(template: template, setName: setName, ordinal: ordinal)), "namespace": .string(set.namespace ?? ""),
            ]
            if !labels.isEmpty { metadata["labels"] = .object(labels) }
            if let annotations = template[path: "metadata", "annotations"] { metadata["annotations"] = annotations }
            if deleteWithSet {
                var reference = setReference
                reference["controller"] = nil
                reference["blockOwnerDeletion"] = nil
                metadata["ownerReferences"] = [reference]
            }
            return ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata, "spec": template["spec"] ?? .emptyObject]
        }
    }
}
