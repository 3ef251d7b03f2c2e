import Logging
import SkiffAPI

/// Keeps a store in step with the server (client-go's `cache.Reflector`): lists (served from the
/// watch cache: resourceVersion `0`, page by page when the server pages), watches from the
/// list's resourceVersion with bookmarks, follows every event, and relists when the watch is too
/// old (`410`). Failures back off exponentially on the injected clock.
public struct Reflector<Object: Sendable, C: Clock>: Sendable where C.Duration == Duration {
    let source: any ListerWatcher<Object>
    let store: any ReflectorStore<Object>
    let identity: ObjectIdentity<Object>
    let configuration: ReflectorConfiguration
    let clock: C
    let logger: Logger

    public init(
        source: any ListerWatcher<Object>, store: any ReflectorStore<Object>, identity: ObjectIdentity<Object>,
        configuration: ReflectorConfiguration = ReflectorConfiguration(), clock: C, logger: Logger
    ) {
        self.source = source
        self.store = store
        self.identity = identity
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Lists and watches until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            if let period = configuration.resyncPeriod {
                group.addTask {
                    while (try? await clock.sleep(for: period)) != nil, !Task.isCancelled {
                        store.resync()
                    }
                }
            }
            group.addTask { await listAndWatch() }
        }
    }

    /// Where the next watch starts: nil means a list is needed first.
    private struct Progress {
        var resourceVersion: String?
        /// The last list/watch said our version is gone: the next list must be a consistent read.
        var needsConsistentList = false
    }

    private func listAndWatch() async {
        var progress = Progress()
        var backoff = configuration.initialBackoff
        while !Task.isCancelled {
            do {
                if progress.resourceVersion == nil {
                    progress.resourceVersion = try await list(consistent: progress.needsConsistentList)
                    progress.needsConsistentList = false
                }
                try await watch(&progress)
                backoff = configuration.initialBackoff
            } catch let error as APIError where error.isGoneOrExpired {
                logger.info("resource version too old, relisting", metadata: ["error": "\(error.message)"])
                progress = Progress(resourceVersion: nil, needsConsistentList: true)
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                logger.warning("list or watch failed", metadata: ["error": "\(error)", "retryIn": "\(backoff)"])
                guard (try? await clock.sleep(for: backoff)) != nil else { return }
                backoff = min(backoff * 2, configuration.maximumBackoff)
            }
        }
    }

    /// Lists everything into the store; returns the list's resourceVersion.
    private func list(consistent: Bool) async throws -> String {
        var options = ListOptions(
            labelSelector: configuration.labelSelector, fieldSelector: configuration.fieldSelector,
            resourceVersion: consistent ? nil : "0", limit: configuration.pageSize)
        var page = try await source.list(options)
        let resourceVersion = page.resourceVersion
        var items = page.items
        while let next = page.continueToken {
            options.continue = next
            options.resourceVersion = nil
            page = try await source.list(options)
            items += page.items
        }
        store.replace(items, resourceVersion: resourceVersion)
        logger.debug("listed", metadata: ["count": "\(items.count)", "resourceVersion": "\(resourceVersion)"])
        return resourceVersion
    }

    /// Watches from `progress.resourceVersion` until the server ends the watch, moving it forward.
    private func watch(_ progress: inout Progress) async throws {
        let options = ListOptions(
            labelSelector: configuration.labelSelector, fieldSelector: configuration.fieldSelector,
            resourceVersion: progress.resourceVersion, timeoutSeconds: configuration.watchTimeoutSeconds,
            allowWatchBookmarks: true)
        let started = clock.now
        var received = 0
        let events = try await source.watchEvents(options)
        for try await event in events {
            received += 1
            switch event {
            case .added(let object):
                store.add(object)
                progress.resourceVersion = identity.resourceVersion(object) ?? progress.resourceVersion
            case .modified(let object):
                store.update(object)
                progress.resourceVersion = identity.resourceVersion(object) ?? progress.resourceVersion
            case .deleted(let object):
                store.delete(object)
                progress.resourceVersion = identity.resourceVersion(object) ?? progress.resourceVersion
            case .bookmark(let resourceVersion, _):
                if !resourceVersion.isEmpty { progress.resourceVersion = resourceVersion }
            case .error(let error):
                throw error
            }
        }
        // A watch the server ends at once without a word would otherwise be renewed in a busy loop.
        if received == 0, started.duration(to: clock.now) < .seconds(1) {
            throw ClientError(.transport, "very short watch: the server ended it at once without events")
        }
    }
}
