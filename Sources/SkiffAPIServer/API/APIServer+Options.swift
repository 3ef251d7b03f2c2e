import CoreMetrics
import SkiffAPI
import SkiffRegistry

extension APIServer {
    /// The request pipeline: who a request is, whether it may, what is recorded, how many run at
    /// once, and the admission plugins writes go through. The defaults are a server on a trusted
    /// loopback port: everyone a superuser, everything allowed, no audit.
    public struct Options: Sendable {
        public var authenticator: any Authenticator = InsecureSuperuserAuthenticator()
        /// Service account tokens: the TokenRequest API, their authenticator (asked before
        /// `authenticator`) and the issuer discovery documents; nil serves none of them.
        public var serviceAccountIssuer: ServiceAccountIssuer?
        /// Bootstrap tokens from `kube-system` Secrets authenticate (`--enable-bootstrap-token-auth`).
        public var enableBootstrapTokenAuth = false
        /// The authorizer, made once the registry exists (RBAC reads its roles and bindings):
        /// `AuthorizationMode.authorizer(_:registry:)` gives upstream's modes. It also checks
        /// impersonation and the `escalate` and `bind` verbs of RBAC writes.
        public var authorizer: @Sendable (Registry) -> any Authorizer = { _ in AlwaysAllowAuthorizer() }
        /// Where audit events go; nil records none.
        public var auditSink: (any AuditSink)?
        /// Which requests `auditSink` records, and how much of them (`--audit-policy-file`); nil records none.
        public var auditPolicy: AuditPolicy?
        /// The metrics backend of the request metrics (by default the one bootstrapped for the process).
        public var metricsFactory: (any MetricsFactory)?
        /// Read-only requests served at once (upstream's `--max-requests-inflight`); 0: no limit.
        public var maxRequestsInFlight = 400
        /// Mutating requests served at once (`--max-mutating-requests-inflight`); 0: no limit.
        public var maxMutatingRequestsInFlight = 200
        /// API priority and fairness (`--enable-priority-and-fairness`): the two limits added up
        /// are shared out among the priority levels, and their bootstrap configuration is
        /// ensured at start (both limits 0: no limit at all); off, the two limits apply as they
        /// are (`InFlightLimitFilter`).
        public var enablePriorityAndFairness = true
        /// The longest a request waits in a priority level's queue before its `429` (upstream: a
        /// quarter of the 60 s request timeout).
        public var requestWaitLimit: Duration = .seconds(15)
        /// The built-in admission plugins to run, by upstream's names (`AdmissionPluginSet`); by
        /// default only `NamespaceLifecycle` and `Priority` (the `skiff` commands start with
        /// upstream's default set).
        public var enabledAdmissionPlugins: Set<String> = ["NamespaceLifecycle", "Priority"]
        /// The plugins to run after the built-in ones, mutating in order,
        /// then validating; made once the registry exists, so that a plugin can read other
        /// resources (service accounts, quotas, policies).
        public var admissionPlugins: @Sendable (Registry) -> AdmissionChain = { _ in AdmissionChain() }
        /// The clock of audit timestamps.
        public var clock: any TimestampClock = SystemClock()
        /// The client certificate presented to extension servers (`--proxy-client-cert-file`); nil presents none.
        public var proxyClientIdentity: ProxyClientIdentity?
        /// What extension servers are told to trust (the `extension-apiserver-authentication`
        /// ConfigMap, written at start); nil writes none.
        public var extensionAuthentication: ExtensionAuthentication?
        /// The request log (`skiff up -v N`); verbosity 0 logs nothing.
        public var requestLog = RequestLog(verbosity: 0) { _ in }

        public init() {}
    }

    /// The enabled built-in admission plugins, then the options' own; RBAC's escalation
    /// prevention validates last, on the object as it will be stored.
    static func admissionChain(registry: Registry, options: Options, authorizer: any Authorizer) -> AdmissionChain {
        var chain = AdmissionPluginSet.chain(options.enabledAdmissionPlugins, registry: registry, authorizer: authorizer)
        let plugins = options.admissionPlugins(registry)
        chain.mutating += plugins.mutating
        chain.validating += plugins.validating
        let policy = RBACPolicySource(registry: registry)
        chain.validating.append(RBACEscalationCheck(authorizer: authorizer) { policy.policy })
        return chain
    }

    /// The authenticators that read the registry (service account and bootstrap tokens), then
    /// the options' own; a token either of the first refuses is `401` whatever the others say.
    static func authenticator(registry: Registry, options: Options) -> any Authenticator {
        var tokens: [any Authenticator] = []
        if let issuer = options.serviceAccountIssuer {
            tokens.append(ServiceAccountTokenAuthenticator(issuer: issuer, registry: registry, clock: options.clock))
        }
        if options.enableBootstrapTokenAuth { tokens.append(BootstrapTokenAuthenticator(registry: registry, clock: options.clock)) }
        return tokens.isEmpty ? options.authenticator : UnionAuthenticator(tokens + [options.authenticator])
    }

    /// The filters around the router, outermost first, in upstream's order: the audit ID,
    /// authentication, audit, impersonation, priority and fairness (or the plain in-flight
    /// limits), authorization (the request log and request metrics wrap them from outside, so
    /// refusals are logged and counted too).
    static func filters(registry: Registry, options: Options, authenticator: any Authenticator, authorizer: any Authorizer) -> [any RequestFilter] {
        let metrics = options.metricsFactory ?? MetricsSystem.factory
        var filters: [any RequestFilter] = [AuditIDFilter()]
        if options.requestLog.isEnabled(3) { filters.append(RequestLogFilter(log: options.requestLog)) }
        filters.append(RequestMetricsFilter(factory: metrics))
        filters.append(AuthenticationFilter(authenticator: authenticator))
        if let sink = options.auditSink, let policy = options.auditPolicy {
            filters.append(AuditFilter(sink: sink, policy: policy, clock: options.clock))
        }
        filters.append(ImpersonationFilter(authorizer: authorizer))
        let serverLimit = options.maxRequestsInFlight + options.maxMutatingRequestsInFlight
        if options.enablePriorityAndFairness && serverLimit > 0 {
            let dispatcher = FlowControlDispatcher(registry: registry, configuration: .init(
                serverConcurrencyLimit: serverLimit, requestWaitLimit: options.requestWaitLimit, clock: options.clock,
                metricsFactory: metrics))
            filters.append(PriorityAndFairnessFilter(dispatcher: dispatcher, factory: metrics))
        } else {
            filters.append(InFlightLimitFilter(maxReadOnly: options.maxRequestsInFlight, maxMutating: options.maxMutatingRequestsInFlight))
        }
        filters.append(AuthorizationFilter(authorizer: authorizer))
        return filters
    }
}
