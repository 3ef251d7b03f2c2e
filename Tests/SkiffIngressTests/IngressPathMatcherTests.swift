import Testing

@testable import SkiffIngress

/// The path and host matching of the Ingress API (the examples of its documentation).
struct IngressPathMatcherTests {
    func prefix(_ path: String, _ request: String) -> Bool { IngressPathMatcher.matches(pathType: "Prefix", path: path, requestPath: request) }

    @Test func prefixMatchesElementByElement() {
        #expect(prefix("/", "/anything/at/all"))
        #expect(prefix("/foo", "/foo") && prefix("/foo", "/foo/"))
        #expect(prefix("/foo/", "/foo") && prefix("/foo/", "/foo/"))
        #expect(prefix("/aaa/bbb", "/aaa/bbb/ccc"))
        #expect(!prefix("/aaa/bb", "/aaa/bbb"))
        #expect(!prefix("/aaa/bbb/", "/aaa/bbbxyz"))
        #expect(prefix("/aaa/bbb", "/aaa/bbb/"))
        #expect(!prefix("/foo", "/"))
        // ImplementationSpecific is Prefix here; an empty path is `/`.
        #expect(IngressPathMatcher.matches(pathType: "ImplementationSpecific", path: "/foo", requestPath: "/foo/bar"))
        #expect(IngressPathMatcher.matches(pathType: "ImplementationSpecific", path: nil, requestPath: "/x"))
    }

    @Test func exactMatchesTheWholePath() {
        #expect(IngressPathMatcher.matches(pathType: "Exact", path: "/foo", requestPath: "/foo"))
        #expect(!IngressPathMatcher.matches(pathType: "Exact", path: "/foo", requestPath: "/foo/"))
        #expect(!IngressPathMatcher.matches(pathType: "Exact", path: "/foo", requestPath: "/FOO"))
    }

    @Test func hosts() {
        #expect(IngressPathMatcher.match(ruleHost: "foo.bar.com", requestHost: "FOO.bar.com") == .exact)
        #expect(IngressPathMatcher.match(ruleHost: "*.foo.com", requestHost: "bar.foo.com") == .wildcard)
        #expect(IngressPathMatcher.match(ruleHost: "*.foo.com", requestHost: "baz.bar.foo.com") == nil)
        #expect(IngressPathMatcher.match(ruleHost: "*.foo.com", requestHost: "foo.com") == nil)
        #expect(IngressPathMatcher.match(ruleHost: nil, requestHost: "any.where") == .any)
        #expect(IngressPathMatcher.match(ruleHost: "a.com", requestHost: "b.com") == nil)
        #expect(IngressPathMatcher.host(ofHeader: "Web.Example:8080") == "web.example")
        #expect(IngressPathMatcher.host(ofHeader: "[::1]:80") == "[::1]")
    }
}
