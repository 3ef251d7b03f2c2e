import SkiffAPI
import SkiffModels
import SkiffOperator

/// The objects a TrainingJob owns: its headless Service (stable DNS names for the workers:
/// `<job>-worker-0.<job>`) and one pod per worker, with the rank and world size every
/// distributed-training launcher reads.
enum TrainingJobWorkers {
    static let jobLabel = "ml.example.com/trainingjob"
    static let indexLabel = "ml.example.com/worker-index"
    /// The port workers rendezvous on (PyTorch's default).
    static let port: Int32 = 29500

    static func selector(of job: TrainingJob) -> String { "\(jobLabel)=\(job.name)" }

    static func podName(of job: TrainingJob, index: Int) -> String { "\(job.name)-worker-\(index)" }

    /// The worker index of a pod (from its label).
    static func index(of pod: CoreV1.Pod) -> Int? {
        pod.metadata?.labels?[indexLabel].flatMap { Int($0) }
    }

    static func service(of job: TrainingJob) throws -> CoreV1.Service {
        var service = CoreV1.Service(
            metadata: ObjectMeta(name: job.name, namespace: job.namespace, labels: [jobLabel: job.name]),
            spec: CoreV1.ServiceSpec(
                clusterIP: "None", ports: [CoreV1.ServicePort(name: "rendezvous", port: port)], selector: [jobLabel: job.name]))
        try service.setControllerReference(job)
        return service
    }

    static func pod(of job: TrainingJob, index: Int) throws -> CoreV1.Pod {
        let environment = [
            CoreV1.EnvVar(name: "RANK", value: String(index)),
            CoreV1.EnvVar(name: "WORLD_SIZE", value: String(job.spec.workers)),
            CoreV1.EnvVar(name: "MASTER_ADDR", value: "\(podName(of: job, index: 0)).\(job.name)"),
            CoreV1.EnvVar(name: "MASTER_PORT", value: String(port)),
            CoreV1.EnvVar(name: "EPOCHS", value: String(job.spec.epochs)),
        ]
        var pod = CoreV1.Pod(
            metadata: ObjectMeta(
                name: podName(of: job, index: index), namespace: job.namespace,
                labels: [jobLabel: job.name, indexLabel: String(index)]),
            spec: CoreV1.PodSpec(
                containers: [CoreV1.Container(
                    env: environment, image: job.spec.image, name: "trainer",
                    ports: [CoreV1.ContainerPort(containerPort: port, name: "rendezvous")])],
                hostname: podName(of: job, index: index), restartPolicy: "OnFailure", subdomain: job.name))
        try pod.setControllerReference(job)
        return pod
    }
}
