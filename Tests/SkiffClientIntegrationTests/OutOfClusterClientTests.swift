import Foundation
import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// The `out-of-cluster-client` example against a real server, through a kubeconfig file.
struct OutOfClusterClientTests {
    @Test func countsThePodsOfTheCluster() async throws {
        let executable = try #require(Self.executablePath(), "out-of-cluster-client is built with the tests")
        let directory = try scratchDirectory()
        let output = try await InProcessCluster.withCluster { cluster in
            let kubeconfig = directory + "/kubeconfig"
            try """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster: {server: "\(cluster.serverURL)"}
                contexts:
                - name: local
                  context: {cluster: local, user: admin}
                current-context: local
                users:
                - name: admin
                  user: {}
                """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            let pods = cluster.client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "pods"))
            for (namespace, name) in [("default", "a"), ("default", "b"), ("kube-system", "c")] {
                _ = try await pods.namespace(namespace).create([
                    "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
                    "spec": ["containers": [["name": "c", "image": "nginx"]]],
                ])
            }
            return try await Self.runToEnd(executable, arguments: ["--kubeconfig", kubeconfig])
        }
        #expect(output == "There are 3 pods in the cluster\n")
    }

    /// Runs a process and returns its standard output once it exits successfully.
    static func runToEnd(_ executable: String, arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        var statuses = exited.stream.makeAsyncIterator()
        let status = await statuses.next()
        #expect(status == 0)
        return String(decoding: output, as: UTF8.self)
    }

    static func executablePath() -> String? {
        let bundle = Bundle.main.bundleURL
        return [
            bundle.appendingPathComponent("out-of-cluster-client").path,
            bundle.deletingLastPathComponent().appendingPathComponent("out-of-cluster-client").path,
        ].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
