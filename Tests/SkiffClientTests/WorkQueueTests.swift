import SkiffClient
import Synchronization
import Testing

@Suite struct WorkQueueTests {
    @Test func deduplicatesWaitingItems() async {
        let queue = WorkQueue<String>()
        for _ in 0..<5 { queue.add("a") }
        queue.add("b")
        #expect(queue.count == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(queue.count == 0)
    }

    @Test func itemInProcessingIsNotHandedOutTwiceAndRequeuesOnDone() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        let first = await queue.get()
        #expect(first == "a")
        queue.add("a")
        queue.add("a")
        #expect(queue.count == 0, "an item being processed waits for done")
        queue.done("a")
        #expect(queue.count == 1, "re-added once after done")
        #expect(await queue.get() == "a")
        queue.done("a")
        #expect(queue.count == 0)
    }

    @Test func waitingWorkerGetsNewItem() async {
        let queue = WorkQueue<Int>()
        await withTaskGroup(of: Int?.self) { group in
            group.addTask { await queue.get() }
            await Task.yield()
            queue.add(7)
            #expect(await group.next() == 7)
            #expect(queue.count == 0, "the item went to the worker, not the queue")
        }
    }

    @Test func concurrentWorkersNeverShareAKey() async {
        let queue = WorkQueue<Int>()
        let tracker = ConcurrencyTracker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let item = await queue.get() {
                        tracker.begin(item)
                        await Task.yield()
                        tracker.end(item)
                        queue.done(item)
                    }
                }
            }
            for round in 0..<200 { queue.add(round % 5) }
            await queue.shutDownWithDrain()
        }
        #expect(tracker.violations == 0)
        #expect(tracker.processed > 0)
    }

    @Test func shutDownReturnsRemainingThenNil() async {
        let queue = WorkQueue<String>()
        queue.add("left")
        queue.shutDown()
        queue.add("ignored")
        #expect(await queue.get() == "left")
        #expect(await queue.get() == nil)
    }

    @Test func drainWaitsForItemsInProcessing() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        _ = await queue.get()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.shutDownWithDrain() }
            await Task.yield()
            queue.done("a")
            await group.waitForAll()
        }
        #expect(queue.isShuttingDown)
    }
}

/// Counts items processed and any item seen by two workers at once.
final class ConcurrencyTracker: Sendable {
    private let state = Mutex<(active: Set<Int>, violations: Int, processed: Int)>(([], 0, 0))
    var violations: Int { state.withLock { $0.violations } }
    var processed: Int { state.withLock { $0.processed } }

    func begin(_ item: Int) {
        state.withLock { state in
            if !state.active.insert(item).inserted { state.violations += 1 }
            state.processed += 1
        }
    }

    func end(_ item: Int) {
        _ = state.withLock { $0.active.remove(item) }
    }
}
