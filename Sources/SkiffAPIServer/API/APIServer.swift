import CoreMetrics
import Logging
import NIOHTTP1
import SkiffAPI
import SkiffRegistry

/// The Kubernetes API over HTTP: passes every request through the filters (request info,
/// authentication, audit, priority and fairness, authorization), routes it to version, health,
/// discovery, OpenAPI or the registry's stores (writes through admission), and turns every
/// failure into a `Status` response.
public struct APIServer: Sendable {
    let registry: Registry
    let logger: Logger
    let health: HealthEndpoints
    let openAPI: OpenAPIDocuments
    let admission: AdmissionChain
    /// Who requests are, and what they may do: the filters ask them, and so do the reviews.
    let authenticator: any Authenticator
    let authorizer: any Authorizer
    /// Issues and checks service account tokens; nil when they are off.
    let serviceAccountIssuer: ServiceAccountIssuer?
    let clock: any TimestampClock
    /// The extension servers' group versions: their discovery, and the proxy to them.
    let extensionDiscovery = ExtensionDiscovery()
    /// The extension servers' OpenAPI documents, merged into the server's own.
    let extensionOpenAPI = ExtensionOpenAPI()
    let aggregation: AggregationProxy
    /// `/metrics`, when the metrics backend can render them.
    let metrics: MetricsEndpoint?
    private let requestInfoResolver = RequestInfoResolver()
    private let filters: [any RequestFilter]

    /// A server of `registry`'s resources, to which it adds the review kinds it answers itself.
    public init(registry: Registry, readiness: Readiness, logger: Logger, options: Options = Options()) {
        registry.register(ReviewResources.entries)
        self.registry = registry
        self.health = HealthEndpoints(storage: registry.storage, readiness: readiness, logger: logger)
        self.logger = logger
        self.openAPI = OpenAPIDocuments(registry: registry, extensions: extensionOpenAPI)
        let authorizer = options.authorizer(registry)
        let authenticator = Self.authenticator(registry: registry, options: options)
        self.authenticator = authenticator
        self.authorizer = authorizer
        self.serviceAccountIssuer = options.serviceAccountIssuer
        self.clock = options.clock
        self.aggregation = AggregationProxy(registry: registry, resolver: WebhookClient(registry: registry),
                                            identity: options.proxyClientIdentity)
        self.metrics = MetricsEndpoint(factory: options.metricsFactory ?? MetricsSystem.factory, registry: registry)
        self.admission = Self.admissionChain(registry: registry, options: options, authorizer: authorizer)
        self.filters = Self.filters(registry: registry, options: options, authenticator: authenticator, authorizer: authorizer)
    }

    /// Handles one request: the filters, then the router. Needs no socket, so tests drive it
    /// directly.
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let context = RequestContext(requestInfo: requestInfoResolver.resolve(request))
        return await filters.wrapping { request, context in await routeCatchingErrors(request, context: context) }(request, context)
    }

    private func routeCatchingErrors(_ request: HTTPRequest, context: RequestContext) async -> HTTPResponse {
        do {
            return try await route(request, context: context)
        } catch let error as APIError {
            return .error(error, accept: request.headers.first(name: "accept"), allowsProtobuf: allowsProtobufErrors(context.requestInfo))
        } catch {
            // An error that is not a Status, as upstream's `ErrorToAPIStatus` answers one: 500,
            // no reason, the error's text. (A Swift trap ends the process; there is no recovered
            // panic, so no `Panic` audit stage: see docs/security-access.md.)
            logger.error("request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return .error(APIError(code: 500, reason: .unknown, message: "\(error)"), accept: request.headers.first(name: "accept"),
                          allowsProtobuf: allowsProtobufErrors(context.requestInfo))
        }
    }

    /// Whether an error may be answered in protobuf: not about a custom resource (their
    /// serializer is JSON's alone, as upstream's).
    private func allowsProtobufErrors(_ info: RequestInfo) -> Bool {
        guard info.isResourceRequest,
            let store = registry.store(for: GroupVersionResource(group: info.apiGroup, version: info.apiVersion, resource: info.resource))
        else { return true }
        return ResourceHandler.allowsProtobuf(store.info)
    }

    private func route(_ request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let trimmed = segments.last == "" ? Array(segments.dropLast()) : segments
        switch trimmed.first {
        case "api": return try await routeAPI(request, context: context, segments: trimmed[1...], core: true)
        case "apis": return try await routeAPI(request, context: context, segments: trimmed[1...], core: false)
        case "version": return .json(Version.info)
        case "healthz", "livez", "readyz":
            guard trimmed.count <= 2, let answer = await health.serve(trimmed[0], check: trimmed.dropFirst().first, query: request.query)
            else { throw notFound() }
            return answer
        case "openapi": return try openAPI.serve(request, segments: trimmed[1...])
        case "metrics":
            guard trimmed.count == 1, let metrics else { throw notFound() }
            return await metrics.response()
        case nil: return .json(rootPaths())
        case ".well-known", "openid":
            guard let issuer = serviceAccountIssuer, let response = try OIDCDiscovery(issuer: issuer).respond(path: request.path, request: request)
            else { throw notFound() }
            return response
        default: throw notFound()
        }
    }

    private func routeAPI(_ request: HTTPRequest, context: RequestContext, segments: ArraySlice<String>, core: Bool) async throws -> HTTPResponse {
        // Built only for the discovery documents (once): resource requests must not pay for sorting every resource.
        lazy var discovery = Discovery(resources: registry.resources, serverAddress: request.headers.first(name: "host") ?? "",
                                       extensions: extensionDiscovery.groupVersions)
        var rest = segments
        if rest.isEmpty {
            if ResponseFormat.negotiate(request.headers.first(name: "accept"), allowsDiscovery: true) == .aggregatedDiscovery {
                return .json(discovery.aggregated(core: core), contentType: Discovery.aggregatedContentType)
            }
            return .json(core ? discovery.coreVersions() : discovery.groups())
        }
        let groupVersion: GroupVersion
        if core {
            groupVersion = GroupVersion(group: "", version: rest.removeFirst())
        } else {
            let group = rest.removeFirst()
            guard let version = rest.first else {
                guard discovery.groupNames.contains(group) else { throw notFound() }
                return .json(discovery.group(group))
            }
            rest.removeFirst()
            groupVersion = GroupVersion(group: group, version: version)
            if let apiService = aggregation.apiService(for: groupVersion) {
                return await aggregation.forward(request, user: context.user ?? UserInfo(name: ""), apiService: apiService)
            }
        }
        if rest.isEmpty {
            guard let list = discovery.resourceList(groupVersion) else { throw notFound() }
            return .json(list)
        }
        guard let path = ResourcePath(groupVersion: groupVersion, segments: rest),
            let store = registry.store(for: GroupVersionResource(group: groupVersion.group, version: groupVersion.version, resource: path.resource))
        else { throw notFound() }
        if ReviewResources.groupResources.contains(GroupResource(group: groupVersion.group, resource: path.resource)) {
            guard path.name == nil, store.info.namespaced == (path.namespace != nil) else { throw notFound() }
            return try await ReviewHandler(info: store.info, namespace: path.namespace, request: request, user: context.user ?? UserInfo(name: ""),
                                           authenticator: authenticator, authorizer: authorizer).handle()
        }
        if core, path.resource == "serviceaccounts", path.subresource == "token", let namespace = path.namespace, let name = path.name,
            let issuer = serviceAccountIssuer {
            return try await TokenRequestHandler(issuer: issuer, registry: registry, namespace: namespace, name: name, request: request,
                                                 clock: clock).handle()
        }
        if let response = try await routeBackendSubresource(path, store: store, request: request) { return response }
        let warnings = AdmissionWarnings()
        let annotations = AdmissionAuditAnnotations()
        defer { for (key, value) in annotations.all { context.audit?.annotate(key, value) } }
        let admission = AdmissionContext(chain: admission, userInfo: context.user ?? UserInfo(name: ""), warnings: warnings,
                                         auditAnnotations: annotations)
        if let response = try await routePodWrite(path, request: request, admission: admission) { return response.withWarnings(warnings.all) }
        return try await ResourceHandler(store: store, path: path, request: request, admission: admission).handle()
            .withWarnings(warnings.all)
    }

    private func notFound() -> APIError {
        APIError(code: 404, reason: .notFound, message: "the server could not find the requested resource")
    }

    private func rootPaths() -> JSONValue {
        var paths: [String] = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version"]
        if metrics != nil { paths.append("/metrics") }
        if serviceAccountIssuer != nil { paths += [OIDCDiscovery.configurationPath, OIDCDiscovery.keySetPath] }
        for info in registry.resources where !info.group.isEmpty {
            paths.append("/apis/\(info.group)")
            paths.append("/apis/\(info.group)/\(info.version)")
        }
        return ["paths": .array(Array(Set(paths)).sorted().map(JSONValue.string))]
    }
}
