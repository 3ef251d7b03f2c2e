import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffTesting
import Synchronization
import Testing

@testable import SkiffProxy

/// The proxy against a real API server started in process, writing to a recorder.
struct KubeProxyTests {
    typealias F = ProxyFixtures

    @Test func programsChangesAndRemovesTheTableOnStop() async throws {
        let recorder = ScriptRecorder()
        let proxy = InProcessCluster.Component.service("kube-proxy") { cluster in
            var configuration = ProxyConfiguration(nodeName: F.node)
            configuration.minSyncPeriod = .zero
            return KubeProxy(configuration: configuration, client: cluster.client, writer: recorder, logger: cluster.logger)
        }
        try await InProcessCluster.withCluster(components: [proxy]) { cluster in
            _ = try await cluster.client.core.v1.namespaces().create(CoreV1.Namespace(metadata: ObjectMeta(name: "demo")))
            let service = try await cluster.client.core.v1.services("demo").create(F.service("web", clusterIP: ""))
            let clusterIP = try #require(service.spec?.clusterIP)
            try await waitUntil("the service without endpoints rejected") {
                recorder.last.contains("\(clusterIP) . tcp . 80 : goto reject-chain")
            }
            #expect(recorder.scripts.first?.contains("delete table ip kube-proxy\n") == true)
            var slice = try await cluster.client.discoveryGroup.v1.endpointSlices("demo").create(F.slice("web", [F.endpoint("10.128.0.5")]))
            try await waitUntil("the endpoint programmed") { recorder.last.contains("dnat to 10.128.0.5:8080\n") }
            slice.endpoints = [F.endpoint("10.128.0.6")].map { $0.typed() }
            _ = try await cluster.client.discoveryGroup.v1.endpointSlices("demo").update(slice)
            try await waitUntil("the endpoint replaced") {
                recorder.last.contains("dnat to 10.128.0.6:8080\n") && recorder.last.contains("delete chain ip kube-proxy endpoint-")
            }
        }
        #expect(recorder.last == "add table ip kube-proxy\ndelete table ip kube-proxy\n")
    }
}

/// Keeps every script a proxy writes.
private final class ScriptRecorder: RulesetWriter {
    private let written = Mutex<[String]>([])

    var scripts: [String] { written.withLock { $0 } }
    var last: String { scripts.last ?? "" }

    func apply(_ script: String) async throws {
        written.withLock { $0.append(script) }
    }
}
