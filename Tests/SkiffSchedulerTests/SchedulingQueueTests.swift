import SkiffAPI
import SkiffTesting
@testable import SkiffScheduler
import Testing

@Suite struct SchedulingQueueTests {
    private func pod(_ name: String, priority: Int64 = 0) -> PodInfo {
        PodInfo(json: Fixtures.pod(name, spec: ["priority": .int(priority)]))
    }

    @Test func popsByPriorityThenByQueueTime() async {
        let clock = ManualClock()
        let queue = SchedulingQueue(clock: clock)
        queue.add(pod("old-low"))
        clock.advance(by: .milliseconds(1))
        queue.add(pod("high", priority: 100))
        clock.advance(by: .milliseconds(1))
        queue.add(pod("new-low"))
        clock.advance(by: .milliseconds(1))
        queue.add(pod("higher", priority: 1000))
        var order: [String] = []
        for _ in 0..<4 { order.append(await queue.pop()?.pod.name ?? "") }
        #expect(order == ["higher", "high", "old-low", "new-low"])
    }

    @Test func backoffDoublesFromOneSecondUpToTen() {
        let queue = SchedulingQueue(clock: ManualClock())
        #expect((1...6).map { queue.backoffDuration(attempts: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    @Test func unschedulablePodsWaitForAnEventThenBackOff() async throws {
        let clock = ManualClock()
        let queue = SchedulingQueue(clock: clock)
        queue.add(pod("p"))
        let entry = try #require(await queue.pop())
        queue.unschedulable(entry, schedulingCycle: queue.schedulingCycle)
        #expect(queue.location(of: "default/p") == .unschedulable)
        // A flush does nothing before five minutes.
        clock.advance(by: .seconds(299))
        queue.flushUnschedulableLeftover()
        #expect(queue.location(of: "default/p") == .unschedulable)
        // A node event moves it; its one-second back-off is long over, so it is active again.
        queue.moveAll()
        #expect(queue.location(of: "default/p") == .active)
        let second = try #require(await queue.pop())
        #expect(second.attempts == 2)
        queue.unschedulable(second, schedulingCycle: queue.schedulingCycle)
        #expect(queue.location(of: "default/p") == .unschedulable)
        // Moved right after failing, it backs off for 2 s (second attempt).
        queue.moveAll()
        #expect(queue.location(of: "default/p") == .backoff)
        clock.advance(by: .milliseconds(1999))
        queue.flushBackoffCompleted()
        #expect(queue.location(of: "default/p") == .backoff)
        clock.advance(by: .milliseconds(1))
        queue.flushBackoffCompleted()
        #expect(queue.location(of: "default/p") == .active)
    }

    @Test func unschedulablePodsAreRetriedAfterFiveMinutes() async throws {
        let clock = ManualClock()
        let queue = SchedulingQueue(clock: clock)
        queue.add(pod("p"))
        let entry = try #require(await queue.pop())
        queue.unschedulable(entry, schedulingCycle: queue.schedulingCycle)
        clock.advance(by: .seconds(301))
        queue.flushUnschedulableLeftover()
        #expect(queue.location(of: "default/p") == .active)
    }

    @Test func anEventDuringTheCycleMakesAFailedPodBackOffInsteadOfWaiting() async throws {
        let clock = ManualClock()
        let queue = SchedulingQueue(clock: clock)
        queue.add(pod("p"))
        let entry = try #require(await queue.pop())
        let cycle = queue.schedulingCycle
        queue.moveAll()  // e.g. a node was added while the pod was being scheduled
        queue.unschedulable(entry, schedulingCycle: cycle)
        #expect(queue.location(of: "default/p") == .backoff)
    }

    @Test func statusOnlyUpdatesDoNotRequeueButSpecChangesDo() async throws {
        let clock = ManualClock()
        let queue = SchedulingQueue(clock: clock)
        queue.add(pod("p"))
        let entry = try #require(await queue.pop())
        queue.unschedulable(entry, schedulingCycle: queue.schedulingCycle)
        var withStatus = Fixtures.pod("p", spec: ["priority": 0])
        withStatus["status"] = ["conditions": [["type": "PodScheduled", "status": "False"]]]
        withStatus[path: "metadata", "resourceVersion"] = "42"
        queue.update(PodInfo(json: withStatus))
        #expect(queue.location(of: "default/p") == .unschedulable)
        clock.advance(by: .seconds(2))
        queue.update(PodInfo(json: Fixtures.pod("p", spec: ["priority": 0, "nodeSelector": ["zone": "a"]])))
        #expect(queue.location(of: "default/p") == .active)
    }

    @Test func deletedPodsLeaveAndPopWaitsUntilCancelled() async {
        let queue = SchedulingQueue(clock: ManualClock())
        queue.add(pod("gone"))
        queue.delete(key: "default/gone")
        #expect(queue.location(of: "default/gone") == nil)
        let waiter = Task { await queue.pop() }
        queue.add(pod("late"))
        #expect(await waiter.value?.pod.name == "late")
        let cancelled = Task { await queue.pop() }
        cancelled.cancel()
        #expect(await cancelled.value == nil)
    }
}
