import SkiffModels
import SkiffOperator

/// The seed's operator: `TrainingJob` custom resources run as worker pods behind a headless
/// Service, with progress, conditions, scaling and cleanup. The SDK's command line:
/// `--print-crd` prints the CRD generated from the Swift type (`| kubectl apply -f -`),
/// `--install-crd` writes it itself, `--namespace`, `--leader-elect`, `--kubeconfig`.
@main
struct TrainingJobOperator {
    static func main() async throws {
        try await OperatorMain.run(name: "trainingjob-operator", resources: [TrainingJob.self]) { manager in
            manager.controller(for: TrainingJob.self)
                .owns(CoreV1.Pod.self)
                .owns(CoreV1.Service.self)
                .workers(2)
                .complete(TrainingJobReconciler(manager: manager))
        }
    }
}
