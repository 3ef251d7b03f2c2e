import SkiffAPI
import SkiffAPIServer
import SkiffClient
import Synchronization
import Testing

/// A client logging its requests at `-v 8` against a scripted server.
struct RequestLoggingTests {
    @Test func verbosityEightLogsTheWholeExchangeWithTheTokenMasked() async throws {
        let lines = Mutex<[String]>([])
        let script = RESTClientTests.Script([.json(["kind": "ConfigMap", "metadata": ["name": "a"]], status: .created)])
        try await RESTClientTests().withScriptedServer(script) { port in
            var configuration = ClientConfiguration(server: "http://127.0.0.1:\(port)")
            configuration.bearerToken = "s3cr3t"
            configuration.userAgent = "skiff-tests"
            configuration.requestLog = RequestLog(verbosity: 8) { line in lines.withLock { $0.append(line) } }
            let client = try RESTClient(configuration: configuration)
            let request = APIRequest(.POST, GroupVersionResource(group: "", version: "v1", resource: "configmaps"))
                .namespace("default").body(["metadata": ["name": "a"]])
            try await client.send(request)
            try await client.shutdown()
        }
        let logged = lines.withLock { $0 }
        let url = "/api/v1/namespaces/default/configmaps"
        #expect(logged.first?.hasPrefix("POST http://127.0.0.1:") == true)
        #expect(logged.first?.hasSuffix(url) == true)
        #expect(logged.contains("    Authorization: Bearer <masked>"))
        #expect(!logged.contains { $0.contains("s3cr3t") })
        #expect(logged.contains("    User-Agent: skiff-tests"))
        #expect(logged.contains(#"Request Body: {"metadata":{"name":"a"}}"#))
        #expect(logged.contains { $0.hasPrefix("Response Status: 201 Created in ") && $0.hasSuffix(" milliseconds") })
        #expect(logged.contains("Response Headers:"))
        // The body as the server sent it: kube-apiserver's JSON ends with a newline, which client-go logs too.
        #expect(logged.last == #"Response Body: {"kind":"ConfigMap","metadata":{"name":"a"}}"# + "\n")
    }
}
