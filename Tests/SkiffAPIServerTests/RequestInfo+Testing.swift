@testable import SkiffAPIServer

extension RequestInfo {
    /// A resource request as the resolver would make it for `verb` on `resource`.
    static func resource(_ verb: String, _ resource: String, group: String = "", namespace: String = "", subresource: String = "",
                         name: String = "") -> RequestInfo {
        var info = RequestInfo(path: "/apis/x", verb: verb)
        info.isResourceRequest = true
        info.apiGroup = group
        info.resource = resource
        info.namespace = namespace
        info.subresource = subresource
        info.name = name
        return info
    }
}
