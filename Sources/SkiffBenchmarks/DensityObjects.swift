import SkiffAPI

/// The objects of the density scenario, as `hack/bench/scale.py` creates them: one pause
/// container asking for 10m CPU and 16Mi memory.
enum DensityObjects {
    static func podSpec() -> JSONValue {
        ["containers": [["name": "app", "image": "registry.k8s.io/pause:3.10", "resources": ["requests": ["cpu": "10m", "memory": "16Mi"]]]]]
    }

    static func deployment(name: String, replicas: Int) -> JSONValue {
        let labels: JSONValue = ["app": .string(name)]
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(Int64(replicas)), "selector": ["matchLabels": labels],
                "template": ["metadata": ["labels": labels], "spec": podSpec()],
            ],
        ]
    }

    static func pod(name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": ["app": "density"]], "spec": podSpec()]
    }
}
