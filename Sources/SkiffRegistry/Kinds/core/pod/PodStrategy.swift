import SkiffAPI

/// Pods: defaults (the spec's, the pod's, and what upstream's default admission plugins add:
/// service account, not-ready/unreachable tolerations; priority is the `Priority` plugin's), `Pending` with a QoS class on
/// create, a mostly immutable spec, graceful deletion once bound to a node, and kubectl's
/// READY/STATUS/RESTARTS columns.
struct PodStrategy: ResourceStrategy {
    /// The annotation the kubelet marks its mirror pods with (the hash of their static pod).
    static let mirrorAnnotation = "kubernetes.io/config.mirror"

    var returnsDeletedObject: Bool { true }

    /// Upstream also accepts `status.podIPs`, which no pod has a value for (it selects as empty).
    var selectableFields: [String] {
        ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
         "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"]
    }

    func fieldValues(of object: JSONValue) -> [String: String] {
        [
            "spec.nodeName": object.stringValue(at: "spec", "nodeName"),
            "spec.restartPolicy": object.stringValue(at: "spec", "restartPolicy"),
            "spec.schedulerName": object.stringValue(at: "spec", "schedulerName"),
            "spec.serviceAccountName": object.stringValue(at: "spec", "serviceAccountName"),
            "spec.hostNetwork": String(object[path: "spec", "hostNetwork"]?.boolValue ?? false),
            "status.phase": object.stringValue(at: "status", "phase"),
            "status.podIP": object.elements(at: "status", "podIPs").first?.stringValue(at: "ip") ?? "",
            "status.podIPs": "",
            "status.nominatedNodeName": object.stringValue(at: "status", "nominatedNodeName"),
        ]
    }

    /// The status starts `Pending` with the QoS class; what upstream's admission plugins add to
    /// new pods is added here (they run on create only).
    func prepareForCreate(_ object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        // A mirror pod names no service account (upstream's ServiceAccount plugin skips it and refuses one).
        let mirror = object[path: "metadata", "annotations", Self.mirrorAnnotation] != nil
        object.editMember("spec") { spec in
            if !mirror && spec.stringValue(at: "serviceAccountName").isEmpty && spec.stringValue(at: "serviceAccount").isEmpty {
                spec["serviceAccountName"] = "default"
            }
            applyDefaultTolerations(&spec)
        }
        var status: JSONValue = ["phase": "Pending", "qosClass": .string(PodQOS.classify(object["spec"]))]
        if !object.elements(at: "spec", "schedulingGates").isEmpty {
            status["conditions"] = [[
                "type": "PodScheduled", "status": "False", "reason": "SchedulingGated",
                "message": "Scheduling is blocked due to non-empty scheduling gates", "lastProbeTime": nil, "lastTransitionTime": nil,
            ]]
        }
        object["status"] = status
    }

    /// The DefaultTolerationSeconds admission plugin: tolerate not-ready and unreachable nodes
    /// for five minutes, unless the pod already tolerates them.
    private func applyDefaultTolerations(_ spec: inout JSONValue) {
        var tolerations = spec.elements(at: "tolerations")
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let tolerated = tolerations.contains { toleration in
                let effect = toleration.stringValue(at: "effect")
                let matchesKey = toleration.stringValue(at: "key") == key
                    || (toleration.stringValue(at: "key").isEmpty && toleration["operator"] == "Exists")
                return matchesKey && (effect.isEmpty || effect == "NoExecute")
            }
            if !tolerated {
                tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
            }
        }
        spec["tolerations"] = .array(tolerations)
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
    }

    /// Unscheduled and finished pods go at once; running ones get their termination grace period.
    func defaultGracePeriod(for object: JSONValue) -> Int64? {
        let phase = object.stringValue(at: "status", "phase")
        if object.stringValue(at: "spec", "nodeName").isEmpty || phase == "Succeeded" || phase == "Failed" { return nil }
        let period = object[path: "spec", "terminationGracePeriodSeconds"]?.intValue ?? 30
        return period < 0 ? 1 : period
    }
}
