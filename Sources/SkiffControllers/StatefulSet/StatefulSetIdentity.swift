import SkiffAPI
import SkiffModels

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
    static func ordinal(of pod: CoreV1.Pod, inSet setName: String) -> Int? {
        guard let identity = parentAndOrdinal(of: pod.name), identity.parent == setName else { return nil }
        return identity.ordinal
    }

    /// The first ordinal (`spec.ordinals.start`, 0 by default).
    static func startOrdinal(of set: AppsV1.StatefulSet) -> Int {
        Int(set.spec?.ordinals?.start ?? 0)
    }

    /// The revision a pod was created from (its `controller-revision-hash` label).
    static func revision(of pod: CoreV1.Pod) -> String { pod.metadata?.labels?[revisionLabel] ?? "" }

    static func claimName(template: CoreV1.PersistentVolumeClaim, setName: String, ordinal: Int) -> String {
        "\(template.name)-\(setName)-\(ordinal)"
    }

    /// The pod of `ordinal` from `template` (the set's, or an older revision's), labelled with `revision`.
    static func pod(of set: AppsV1.StatefulSet, template: CoreV1.PodTemplateSpec?, ordinal: Int, revision: String) -> CoreV1.Pod {
        let setName = set.name
        let name = "\(setName)-\(ordinal)"
        var pod = PodControl.pod(
            from: template, metadata: ObjectMeta(name: name, namespace: set.namespace, ownerReferences: [.controller(of: set)]))
        var labels = pod.metadata?.labels ?? [:]
        labels[podNameLabel] = name
        labels[podIndexLabel] = String(ordinal)
        labels[revisionLabel] = revision
        pod.metadata?.labels = labels
        var spec = pod.spec ?? CoreV1.PodSpec(containers: [])
        spec.hostname = name
        if let service = set.spec?.serviceName, !service.isEmpty { spec.subdomain = service }
        let claims = set.spec?.volumeClaimTemplates ?? []
        if !claims.isEmpty {
            let claimVolumes = claims.map { claim in
                CoreV1.Volume(
                    name: claim.name,
                    persistentVolumeClaim: CoreV1.PersistentVolumeClaimVolumeSource(claimName: claimName(template: claim, setName: setName, ordinal: ordinal)))
            }
            let claimNames = Set(claimVolumes.map(\.name))
            spec.volumes = claimVolumes + (spec.volumes ?? []).filter { !claimNames.contains($0.name) }
        }
        pod.spec = spec
        return pod
    }

    /// The claims of `ordinal` (upstream's `getPersistentVolumeClaims`): each template named
    /// `<template>-<set>-<ordinal>`, labelled with the template's labels and the set's
    /// `matchLabels`; with `whenDeleted: Delete` the set owns them.
    static func claims(of set: AppsV1.StatefulSet, ordinal: Int) -> [CoreV1.PersistentVolumeClaim] {
        let setName = set.name
        let matchLabels = set.spec?.selector.matchLabels ?? [:]
        let deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted == "Delete"
        return (set.spec?.volumeClaimTemplates ?? []).map { template in
            var labels = template.metadata?.labels ?? [:]
            labels.merge(matchLabels) { _, selector in selector }
            var reference = OwnerReference.controller(of: set)
            reference.controller = nil
            reference.blockOwnerDeletion = nil
            let metadata = ObjectMeta(
                name: claimName(template: template, setName: setName, ordinal: ordinal), namespace: set.namespace,
                labels: labels.isEmpty ? nil : labels, annotations: template.metadata?.annotations,
                ownerReferences: deleteWithSet ? [reference] : nil)
            return CoreV1.PersistentVolumeClaim(metadata: metadata, spec: template.spec)
        }
    }
}
