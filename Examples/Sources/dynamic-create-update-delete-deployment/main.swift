import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels

/// client-go's dynamic-create-update-delete-deployment example: the same steps as the typed one,
/// with the dynamic client, which reads and writes any resource as unstructured JSON.
@main
struct DynamicCreateUpdateDeleteDeployment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dynamic-create-update-delete-deployment", abstract: "Create, update, list and delete a Deployment (dynamic client).")

    @OptionGroup var client: ClientOptions

    @Option(help: "The namespace to work in.")
    var namespace = "default"

    static let deploymentResource = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")

    func run() async throws {
        let namespace = self.namespace
        try await withClient(try client.configuration()) { client in
            let deployments = client.dynamic.resource(Self.deploymentResource).namespace(namespace)
            let deployment: JSONValue = [
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "demo-deployment"],
                "spec": [
                    "replicas": 2,
                    "selector": ["matchLabels": ["app": "demo"]],
                    "template": [
                        "metadata": ["labels": ["app": "demo"]],
                        "spec": ["containers": [["name": "web", "image": "nginx:1.12", "ports": [["name": "http", "protocol": "TCP", "containerPort": 80]]]]],
                    ],
                ],
            ]

            print("Creating deployment...")
            let created = try await deployments.create(deployment)
            print("Created deployment \"\(created[path: "metadata", "name"]?.stringValue ?? "")\".")

            print("Updating deployment...")
            _ = try await retryOnConflict {
                var latest = try await deployments.get("demo-deployment")
                latest[path: "spec", "replicas"] = 1
                guard var containers = latest[path: "spec", "template", "spec", "containers"]?.arrayValue, !containers.isEmpty else {
                    throw ValidationError("the deployment has no containers")
                }
                containers[0]["image"] = "nginx:1.13"
                latest[path: "spec", "template", "spec", "containers"] = .array(containers)
                return try await deployments.update(latest)
            }
            print("Updated deployment...")

            print("Listing deployments in namespace \"\(namespace)\":")
            for item in try await deployments.list().items {
                let replicas = item[path: "spec", "replicas"]?.intValue ?? 0
                print(" * \(item[path: "metadata", "name"]?.stringValue ?? "") (\(replicas) replicas)")
            }

            print("Deleting deployment...")
            try await deployments.delete("demo-deployment", options: DeleteOptions(propagationPolicy: .foreground))
            print("Deleted deployment.")
        }
    }
}
