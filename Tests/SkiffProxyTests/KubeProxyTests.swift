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
        let proxy = F.proxyComponent { configuration, cluster in
            KubeProxy(configuration: configuration, client: cluster.client, writer: recorder, logger: cluster.logger)
        }
        try await InProcessCluster.withCluster(components: [proxy]) { cluster in
            let clusterIP = try await F.createWebService(cluster)
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

extension ProxyFixtures {
    /// A kube-proxy of an in-process cluster, on `node`, that programs every change at once.
    static func proxyComponent(_ make: @escaping @Sendable (ProxyConfiguration, InProcessCluster) -> KubeProxy) -> InProcessCluster.Component {
        InProcessCluster.Component.service("kube-proxy") { cluster in
            var configuration = ProxyConfiguration(nodeName: node)
            configuration.minSyncPeriod = .zero
            return make(configuration, cluster)
        }
    }

    /// Creates the namespace `demo` and the service `web` in it; its ClusterIP.
    static func createWebService(_ cluster: InProcessCluster) async throws -> String {
        _ = try await cluster.client.core.v1.namespaces().create(CoreV1.Namespace(metadata: ObjectMeta(name: "demo")))
        let service = try await cluster.client.core.v1.services("demo").create(self.service("web", clusterIP: ""))
        return try #require(service.spec?.clusterIP)
    }
}

/// The proxy in iptables mode: the same loop, `iptables-restore` input, jumps checked and inserted once.
struct KubeProxyIPTablesTests {
    typealias F = ProxyFixtures

    @Test func programsChainsAndJumpsAndRemovesThemOnStop() async throws {
        let recorder = IPTablesRecorder()
        let proxy = F.proxyComponent { configuration, cluster in
            KubeProxy(configuration: configuration, client: cluster.client, iptables: recorder, logger: cluster.logger)
        }
        try await InProcessCluster.withCluster(components: [proxy]) { cluster in
            let clusterIP = try await F.createWebService(cluster)
            try await waitUntil("the service without endpoints rejected") {
                recorder.restored.last?.contains("-d \(clusterIP) --dport 80 -j REJECT") == true
            }
            _ = try await cluster.client.discoveryGroup.v1.endpointSlices("demo").create(F.slice("web", [F.endpoint("10.128.0.5")]))
            try await waitUntil("the endpoint programmed") { recorder.restored.last?.contains("--to-destination 10.128.0.5:8080") == true }
            // Each jump is inserted once, when `-C` does not find it.
            #expect(recorder.commands.filter { $0.contains("-I") }.count == IPTablesRuleset.jumps.count)
        }
        // Stopping deletes every jump (`-D` until it finds none) and the chains.
        #expect(recorder.insertedRules.isEmpty)
        #expect(recorder.restored.last?.contains("-X KUBE-SERVICES") == true)
    }
}

/// Records what an iptables-mode proxy writes, and answers `-C` as the rules it inserted say.
private final class IPTablesRecorder: IPTablesWriter {
    private let state = Mutex<(restored: [String], commands: [[String]], rules: Set<[String]>)>(([], [], []))

    var restored: [String] { state.withLock { $0.restored } }
    var commands: [[String]] { state.withLock { $0.commands } }
    var insertedRules: Set<[String]> { state.withLock { $0.rules } }

    func restore(_ input: String) async throws {
        state.withLock { $0.restored.append(input) }
    }

    func save(table: String) async throws -> String { "*\(table)\nCOMMIT\n" }

    func run(_ arguments: [String]) async throws -> Bool {
        state.withLock { state in
            state.commands.append(arguments)
            let rule = arguments.filter { !["-C", "-I", "-D"].contains($0) }
            switch arguments.first(where: { ["-C", "-I", "-D"].contains($0) }) {
            case "-C": return state.rules.contains(rule)
            case "-I": return state.rules.insert(rule).inserted
            default: return state.rules.remove(rule) != nil
            }
        }
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
