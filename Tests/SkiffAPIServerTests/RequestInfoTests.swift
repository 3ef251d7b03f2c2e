import NIOHTTP1
@testable import SkiffAPIServer
import Testing

@Suite struct RequestInfoTests {
    private func resolve(_ method: HTTPMethod, _ uri: String) -> RequestInfo {
        RequestInfoResolver().resolve(HTTPRequest(method: method, uri: uri, headers: [:], body: []))
    }

    @Test func resourceRequests() {
        let list = resolve(.GET, "/api/v1/namespaces/default/pods")
        #expect(list.isResourceRequest && list.verb == "list" && list.namespace == "default" && list.resource == "pods" && list.name.isEmpty)
        #expect(list.apiPrefix == "api" && list.apiGroup == "" && list.apiVersion == "v1")
        let watch = resolve(.GET, "/apis/apps/v1/namespaces/web/deployments?watch=true&fieldSelector=metadata.name%3Dfront")
        #expect(watch.verb == "watch" && watch.apiGroup == "apps" && watch.resource == "deployments" && watch.name == "front")
        #expect(watch.isLongRunning)
        let named = resolve(.GET, "/api/v1/namespaces/default/configmaps/settings?watch=1")
        #expect(named.verb == "watch" && named.name == "settings" && named.isLongRunning)
        let legacyWatch = resolve(.GET, "/api/v1/watch/namespaces/default/configmaps")
        #expect(legacyWatch.verb == "watch" && legacyWatch.namespace == "default" && legacyWatch.resource == "configmaps")
        let status = resolve(.PUT, "/api/v1/namespaces/default/pods/web/status")
        #expect(status.verb == "update" && status.name == "web" && status.subresource == "status")
        let log = resolve(.GET, "/api/v1/namespaces/default/pods/web/log")
        #expect(log.verb == "get" && log.subresource == "log" && log.isLongRunning)
        let finalize = resolve(.PUT, "/api/v1/namespaces/ending/finalize")
        #expect(finalize.resource == "namespaces" && finalize.name == "ending" && finalize.subresource == "finalize" && finalize.namespace == "ending")
        let namespace = resolve(.DELETE, "/api/v1/namespaces/ending")
        #expect(namespace.verb == "delete" && namespace.resource == "namespaces" && namespace.name == "ending")
        let collection = resolve(.DELETE, "/apis/batch/v1/namespaces/jobs-ns/jobs")
        #expect(collection.verb == "deletecollection" && collection.apiGroup == "batch" && !collection.isLongRunning)
        let create = resolve(.POST, "/api/v1/namespaces/default/configmaps")
        #expect(create.verb == "create" && create.resource == "configmaps")
        let patch = resolve(.PATCH, "/api/v1/nodes/n1/status")
        #expect(patch.verb == "patch" && patch.namespace.isEmpty && patch.resource == "nodes" && patch.subresource == "status")
    }

    @Test func nonResourceRequests() {
        for (method, uri) in [(HTTPMethod.GET, "/healthz"), (.GET, "/api"), (.GET, "/api/v1"), (.GET, "/apis/apps"), (.GET, "/apis/apps/v1"), (.POST, "/version")] {
            let info = resolve(method, uri)
            #expect(!info.isResourceRequest, "\(uri)")
            #expect(info.verb == method.rawValue.lowercased())
            #expect(info.path == uri)
        }
    }
}
