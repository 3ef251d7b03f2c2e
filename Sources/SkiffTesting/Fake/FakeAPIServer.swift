import Logging
import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import Synchronization

/// Client-go's `fake` clientset, done Skiff's way: the real API server (registry, strategies,
/// admission, watch caches) on memory storage, reached in the same process with no socket.
/// Controller authors' unit tests get upstream's semantics (defaults, validation, resourceVersions,
/// conflicts, selectors, watches, CRDs) instead of a hand-written tracker, plus what the fake
/// package adds: the actions the client sent, and reactors that fail chosen requests.
///
/// ```swift
/// try await FakeAPIServer.with(objects: [deployment]) { fake in
///     fake.react(verb: "update", resource: "deployments") { _ in .conflict(...) }
///     try await myController.sync(client: fake.client)
///     #expect(fake.actions.contains { $0.verb == "update" && $0.resource == "deployments" })
/// }
/// ```
public struct FakeAPIServer: Sendable {
    /// A client of the fake server (as privileged as `system:masters`); no rate limit.
    public let client: KubernetesClient
    private let state: State

    /// Starts a fake server, creates `objects` through it (in order, not recorded as actions),
    /// runs `body`, then stops the server. Creating a seed object that the server refuses throws.
    public static func with<Result: Sendable>(
        objects: [any KubernetesObject] = [], logger: Logger = InProcessCluster.quietLogger,
        _ body: @escaping @Sendable (FakeAPIServer) async throws -> Result
    ) async throws -> Result {
        let service = APIServerService(configuration: .init(storageURL: "memory://", http: .init(host: "127.0.0.1", port: 0)), logger: logger)
        return try await service.withInProcessServer { api in
            let state = State()
            let transport = InProcessTransport(api: api) { request in state.intercept(request) }
            var configuration = ClientConfiguration(server: "https://fake-apiserver.invalid")
            configuration.qps = 0
            let client = KubernetesClient(rest: try RESTClient(configuration: configuration, transport: transport))
            let fake = FakeAPIServer(client: client, state: state)
            let outcome: Swift.Result<Result, any Error>
            do {
                for object in objects { try await fake.seed(object) }
                state.startRecording()
                outcome = .success(try await body(fake))
            } catch {
                outcome = .failure(error)
            }
            try await client.shutdown()
            return try outcome.get()
        }
    }

    /// The requests the client sent since the seed objects were created, in order.
    public var actions: [FakeAction] { state.actions }

    /// Forgets the recorded actions (client-go's `ClearActions`).
    public func clearActions() {
        state.clearActions()
    }

    /// Runs `reaction` on each request for `verb` on `resource` (`"*"` matches any) before the
    /// server sees it: a returned `APIError` is the request's answer; nil lets it through.
    /// Reactors added later run first (client-go's `PrependReactor`).
    public func react(verb: String, resource: String, _ reaction: @escaping @Sendable (FakeAction) -> APIError?) {
        state.prepend(Reactor(verb: verb, resource: resource, reaction: reaction))
    }

    private func seed<Object: KubernetesObject>(_ object: Object) async throws {
        _ = try await client.resource(Object.self, namespace: object.metadata?.namespace).create(object)
    }
}

/// One request the fake server received, named as authorization names it (upstream's RequestInfo).
public struct FakeAction: Sendable, Hashable, CustomStringConvertible {
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, …
    public var verb: String
    public var group: String
    public var version: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    /// The request body, when it had one (the object created, the patch).
    public var body: [UInt8]

    public var description: String {
        let target = [resource, subresource].filter { !$0.isEmpty }.joined(separator: "/")
        let object = [namespace, name].filter { !$0.isEmpty }.joined(separator: "/")
        return "\(verb) \(target)" + (object.isEmpty ? "" : " \(object)")
    }
}

extension FakeAPIServer {
    /// A reaction to the requests of one verb and resource.
    struct Reactor: Sendable {
        var verb: String
        var resource: String
        var reaction: @Sendable (FakeAction) -> APIError?

        func matches(_ action: FakeAction) -> Bool {
            (verb == "*" || verb == action.verb) && (resource == "*" || resource == action.resource)
        }
    }

    /// The recorded actions and the reactors, shared by the transport and the test.
    final class State: Sendable {
        private struct Contents {
            var recording = false
            var actions: [FakeAction] = []
            var reactors: [Reactor] = []
        }

        private let contents = Mutex(Contents())
        private let resolver = RequestInfoResolver()

        var actions: [FakeAction] { contents.withLock { $0.actions } }

        func clearActions() {
            contents.withLock { $0.actions = [] }
        }

        func startRecording() {
            contents.withLock { $0.recording = true }
        }

        func prepend(_ reactor: Reactor) {
            contents.withLock { $0.reactors.insert(reactor, at: 0) }
        }

        /// Records `request` and answers it when a reactor says so.
        func intercept(_ request: HTTPRequest) -> HTTPResponse? {
            let info = resolver.resolve(request)
            let action = FakeAction(
                verb: info.verb, group: info.apiGroup, version: info.apiVersion, resource: info.resource, subresource: info.subresource,
                namespace: info.namespace, name: info.name, body: request.body)
            let reactors = contents.withLock { contents -> [Reactor] in
                guard contents.recording else { return [] }
                contents.actions.append(action)
                return contents.reactors
            }
            for reactor in reactors where reactor.matches(action) {
                if let error = reactor.reaction(action) { return .error(error) }
            }
            return nil
        }
    }
}
