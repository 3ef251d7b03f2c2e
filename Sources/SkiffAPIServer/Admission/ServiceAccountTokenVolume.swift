import SkiffAPI
import SkiffRegistry

/// The projected volume the ServiceAccount admission plugin gives pods (upstream's
/// `TokenVolumeSource`): a bound token of the pod's account (`token`, 3607 s, which the kubelet
/// renews), the cluster CA from the ConfigMap `kube-root-ca.crt` (`ca.crt`) and the pod's
/// `namespace`, mode 0644, mounted read-only at `/var/run/secrets/kubernetes.io/serviceaccount`.
enum ServiceAccountTokenVolume {
    static let namePrefix = "kube-api-access-"
    static let mountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    /// Mounts the token volume into every container and init container of `pod` that has no
    /// mount of it or at its path, and adds the volume when one of them needed it and the pod
    /// has none yet (a `kube-api-access-*` volume already there is reused).
    static func mount(into pod: inout JSONValue) {
        let volumes = pod[path: "spec", "volumes"]?.arrayValue ?? []
        let existing = volumes.compactMap { $0["name"]?.stringValue }.first { $0.hasPrefix(namePrefix) }
        var name = existing ?? NameGenerator.generate(prefix: namePrefix)
        let taken = Set(volumes.compactMap { $0["name"]?.stringValue })
        while existing == nil && taken.contains(name) { name = NameGenerator.generate(prefix: namePrefix) }

        var needed = false
        for field in ["initContainers", "containers"] {
            guard var containers = pod[path: "spec", field]?.arrayValue else { continue }
            for index in containers.indices {
                let mounts = containers[index]["volumeMounts"]?.arrayValue ?? []
                if mounts.contains(where: { $0["name"]?.stringValue == name || $0["mountPath"]?.stringValue == mountPath }) { continue }
                containers[index]["volumeMounts"] = .array(mounts + [["name": .string(name), "readOnly": true, "mountPath": .string(mountPath)]])
                needed = true
            }
            pod[path: "spec", field] = .array(containers)
        }
        if existing == nil && needed { pod[path: "spec", "volumes"] = .array(volumes + [volume(name)]) }
    }

    /// The volume named `name`.
    static func volume(_ name: String) -> JSONValue {
        [
            "name": .string(name),
            "projected": [
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": .int(ServiceAccountIssuer.kubeletExpirationSeconds), "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
                "defaultMode": 420,
            ],
        ]
    }
}
