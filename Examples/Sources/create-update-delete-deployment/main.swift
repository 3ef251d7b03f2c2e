import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels
import Synchronization

/// client-go's create-update-delete-deployment example with the typed client: creates a
/// Deployment, updates it under `retryOnConflict`, lists the Deployments, deletes it in the
/// foreground. To show the retry, the first update attempt works on a copy that a concurrent
/// writer has just made stale: the server answers `409 Conflict`, and the second attempt, on a
/// fresh copy, succeeds.
@main
struct CreateUpdateDeleteDeployment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-update-delete-deployment", abstract: "Create, update, list and delete a Deployment (typed client).")

    @OptionGroup var client: ClientOptions

    @Option(help: "The namespace to work in.")
    var namespace = "default"

    func run() async throws {
        let namespace = self.namespace
        try await withClient(try client.configuration()) { client in
            let deployments = client.apps.v1.deployments(namespace)

            print("Creating deployment...")
            let created = try await deployments.create(Self.demoDeployment(namespace: namespace))
            print("Created deployment \"\(created.metadata?.name ?? "")\".")

            print("Updating deployment...")
            let attempts = Atomic(0)
            let updated = try await retryOnConflict {
                // Read the latest version before every attempt, change it, write it back.
                var latest = try await deployments.get("demo-deployment")
                if attempts.add(1, ordering: .relaxed).newValue == 1 {
                    try await Self.writeConcurrently(deployments)
                }
                latest.spec?.replicas = 1
                latest.spec?.template.spec?.containers[0].image = "nginx:1.13"
                do {
                    return try await deployments.update(latest)
                } catch let error as APIError where error.isConflict {
                    print("Update failed with \(error.code) \(error.reason.rawValue): \(error.message); retrying")
                    throw error
                }
            }
            print("Updated deployment (resourceVersion \(updated.metadata?.resourceVersion ?? ""), \(attempts.load(ordering: .relaxed)) attempts).")

            print("Listing deployments in namespace \"\(namespace)\":")
            for deployment in try await deployments.list().items {
                print(" * \(deployment.metadata?.name ?? "") (\(deployment.spec?.replicas ?? 0) replicas)")
            }

            print("Deleting deployment...")
            try await deployments.delete("demo-deployment", options: DeleteOptions(propagationPolicy: .foreground))
            print("Deleted deployment.")
        }
    }

    /// Two nginx replicas, as upstream's example.
    static func demoDeployment(namespace: String) -> AppsV1.Deployment {
        AppsV1.Deployment(
            metadata: ObjectMeta(name: "demo-deployment", namespace: namespace),
            spec: AppsV1.DeploymentSpec(
                replicas: 2, selector: MetaV1.LabelSelector(matchLabels: ["app": "demo"]),
                template: CoreV1.PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["app": "demo"]),
                    spec: CoreV1.PodSpec(containers: [
                        CoreV1.Container(image: "nginx:1.12", name: "web", ports: [CoreV1.ContainerPort(containerPort: 80, name: "http")])
                    ]))))
    }

    /// Another writer changing the Deployment (an annotation), so the copy read before is stale.
    static func writeConcurrently(_ deployments: ResourceClient<AppsV1.Deployment>) async throws {
        var other = try await deployments.get("demo-deployment")
        other.metadata?.annotations = ["example.skiff.dev/touched-by": "another-writer"]
        _ = try await deployments.update(other)
    }
}
