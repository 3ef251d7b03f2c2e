import SkiffStorage
import Testing

/// `/healthz`, `/livez` and `/readyz` with kube-apiserver's check names and output, and the
/// `etcd` checks failing while the storage does not answer.
@Suite struct HealthEndpointTests {
    @Test func allChecksPass() async throws {
        try await APIServerHarness.with(.router) { server in
            for endpoint in ["/healthz", "/livez", "/readyz"] {
                let answer = try await server.send(.GET, endpoint)
                #expect(answer.status == 200 && answer.text == "ok", "\(endpoint)")
            }
            #expect(try await server.send(.GET, "/readyz?verbose").text == """
                [+]ping ok
                [+]log ok
                [+]etcd ok
                [+]etcd-readiness ok
                [+]informer-sync ok
                readyz check passed

                """)
            #expect(try await server.send(.GET, "/livez?verbose&exclude=log&exclude=nope").text == """
                [+]ping ok
                [+]log excluded: ok
                [+]etcd ok
                warn: some health checks cannot be excluded: no matches for "nope"
                livez check passed

                """)
            #expect(try await server.send(.GET, "/readyz/etcd").text == "ok")
            #expect(try await server.send(.GET, "/livez/informer-sync").status == 404)
        }
    }

    @Test func etcdChecksFailWhileStorageIsDown() async throws {
        let storage = MemoryStorage()
        try await APIServerHarness.with(.router, storage: storage) { server in
            try await storage.close()
            let ready = try await server.send(.GET, "/readyz")
            #expect(ready.status == 500)
            #expect(ready.text == """
                [+]ping ok
                [+]log ok
                [-]etcd failed: reason withheld
                [-]etcd-readiness failed: reason withheld
                [+]informer-sync ok
                readyz check failed

                """)
            let live = try await server.send(.GET, "/livez")
            #expect(live.status == 500 && live.text.contains("[-]etcd failed: reason withheld\nlivez check failed"))
            let single = try await server.send(.GET, "/readyz/etcd")
            #expect(single.status == 500 && single.text.hasPrefix("internal server error: "))
            let excluded = try await server.send(.GET, "/readyz?exclude=etcd&exclude=etcd-readiness")
            #expect(excluded.status == 200 && excluded.text == "ok")
        }
    }
}
