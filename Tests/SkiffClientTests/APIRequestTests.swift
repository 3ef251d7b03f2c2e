import SkiffAPI
import Testing

@testable import SkiffClient

struct APIRequestTests {
    let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")
    let deployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")

    @Test func paths() {
        #expect(APIRequest(.GET, pods).path == "/api/v1/pods")
        #expect(APIRequest(.GET, pods).namespace("default").name("web").subresource("status").path
            == "/api/v1/namespaces/default/pods/web/status")
        #expect(APIRequest(.GET, deployments).namespace("ns").path == "/apis/apps/v1/namespaces/ns/deployments")
        let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")
        #expect(APIRequest(.GET, namespaces).name("kube-system").path == "/api/v1/namespaces/kube-system")
        #expect(APIRequest(.GET, path: "/apis").path == "/apis")
    }

    @Test func listOptionsBecomeAnEscapedQuery() {
        let options = ListOptions(
            labelSelector: "app in (web,db),tier!=x", resourceVersion: "0", resourceVersionMatch: .notOlderThan, limit: 50,
            continue: "abc=", timeoutSeconds: 30, allowWatchBookmarks: true, sendInitialEvents: true)
        let request = APIRequest(.GET, pods).options(options)
        #expect(request.pathAndQuery
            == "/api/v1/pods?labelSelector=app%20in%20%28web%2Cdb%29%2Ctier%21%3Dx&resourceVersion=0&resourceVersionMatch=NotOlderThan&limit=50&continue=abc%3D&timeoutSeconds=30&allowWatchBookmarks=true&sendInitialEvents=true")
    }

    @Test func writeOptions() {
        #expect(CreateOptions(dryRun: true, fieldManager: "me", fieldValidation: .strict).queryItems
            == [QueryItem("dryRun", "All"), QueryItem("fieldManager", "me"), QueryItem("fieldValidation", "Strict")])
        #expect(PatchOptions(fieldManager: "me", force: true).queryItems == [QueryItem("fieldManager", "me"), QueryItem("force", "true")])
        #expect(UpdateOptions().queryItems.isEmpty)
        #expect(GetOptions(resourceVersion: "0").queryItems == [QueryItem("resourceVersion", "0")])
    }

    @Test func deleteOptionsBody() {
        let options = DeleteOptions(
            propagationPolicy: .foreground, preconditions: .init(uid: "u1", resourceVersion: "7"), gracePeriodSeconds: 0, dryRun: true)
        #expect(options.body == [
            "kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground", "gracePeriodSeconds": 0,
            "dryRun": ["All"], "preconditions": ["uid": "u1", "resourceVersion": "7"],
        ])
    }

    @Test func bodyCarriesItsContentType() {
        let request = APIRequest(.PATCH, pods).name("x").body(["a": 1], contentType: PatchType.merge.rawValue)
        #expect(request.contentType == "application/merge-patch+json")
        #expect(request.body == Array(#"{"a":1}"#.utf8))
    }
}
