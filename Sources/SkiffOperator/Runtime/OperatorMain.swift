import Foundation
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import UnixSignals

/// The `main` of an operator (controller-runtime's `ctrl.NewManager` + `ctrl.SetupSignalHandler`):
/// parses `OperatorCommandLine`, prints or installs the CRDs of `resources`, builds the client
/// from the kubeconfig and a `Manager`, lets `setup` add the controllers, then runs until SIGTERM
/// or SIGINT, which drain the controllers' queues before the process exits.
public enum OperatorMain {
    public static func run(
        name: String, resources: [any CustomResource.Type], arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        setup: @Sendable (Manager) throws -> Void
    ) async throws {
        let options = try OperatorCommandLine(arguments: arguments)
        if options.help {
            print("Usage: \(name) [flags]\n\(OperatorCommandLine.usage)")
            return
        }
        if options.printCRD {
            print(try resources.map { try CustomResourceDefinitionManifest.yaml(for: $0) }.joined(separator: "---\n"), terminator: "")
            return
        }
        let logger = Logger(label: name)
        let configuration = try ClientConfiguration.load(rules: .environment(explicitPath: options.kubeconfig), context: options.context)
        let client = try KubernetesClient(configuration: configuration)
        do {
            try await run(name: name, resources: resources, options: options, client: client, logger: logger, setup: setup)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func run(
        name: String, resources: [any CustomResource.Type], options: OperatorCommandLine, client: KubernetesClient, logger: Logger,
        setup: @Sendable (Manager) throws -> Void
    ) async throws {
        if options.installCRD {
            for resource in resources {
                try await CustomResourceDefinitionInstaller.install(resource, client: client)
                logger.info("installed CustomResourceDefinition", metadata: ["name": "\(resource.definitionName)"])
            }
        }
        let identity = "\(ProcessInfo.processInfo.hostName)_\(ProcessInfo.processInfo.processIdentifier)"
        let election = options.leaderElect
            ? LeaderElector<SystemClock>.Configuration(namespace: options.leaderElectNamespace, name: name, identity: identity) : nil
        let manager = Manager(client: client, options: .init(name: name, namespace: options.namespace, leaderElection: election, logger: logger))
        try setup(manager)
        var group = ServiceGroupConfiguration(services: [.init(service: manager)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(10)
        // Unbuffered, so that whoever started the operator reads it at once through a pipe.
        FileHandle.standardOutput.write(Data("\(name) running\n".utf8))
        try await ServiceGroup(configuration: group).run()
    }
}
