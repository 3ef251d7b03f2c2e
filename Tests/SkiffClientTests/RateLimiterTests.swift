import SkiffClient
import SkiffTesting
import Testing

@Suite struct RateLimiterTests {
    @Test func exponentialBackOffDoublesUpToTheMaximum() {
        let limiter = ExponentialFailureRateLimiter<String>(base: .milliseconds(5), maximum: .milliseconds(30))
        #expect(limiter.when("a") == .milliseconds(5))
        #expect(limiter.when("a") == .milliseconds(10))
        #expect(limiter.when("a") == .milliseconds(20))
        #expect(limiter.when("a") == .milliseconds(30))
        #expect(limiter.when("b") == .milliseconds(5), "items back off independently")
        #expect(limiter.retries("a") == 4)
        limiter.forget("a")
        #expect(limiter.retries("a") == 0)
        #expect(limiter.when("a") == .milliseconds(5))
    }

    @Test func tokenBucketAllowsBurstThenPaces() {
        let clock = ManualClock()
        let limiter = TokenBucketRateLimiter<String>(qps: 1, burst: 2, clock: clock)
        #expect(limiter.when("a") == .zero)
        #expect(limiter.when("b") == .zero)
        #expect(limiter.when("c") == .seconds(1))
        #expect(limiter.when("d") == .seconds(2))
        clock.advance(by: .seconds(3))
        #expect(limiter.when("e") == .zero)
    }

    @Test func maxOfTakesTheLongestDelay() {
        let clock = ManualClock()
        let limiter = MaxOfRateLimiter<String>([
            ExponentialFailureRateLimiter<String>(base: .milliseconds(5), maximum: .seconds(1000)),
            TokenBucketRateLimiter<String>(qps: 1, burst: 1, clock: clock),
        ])
        #expect(limiter.when("a") == .milliseconds(5))
        #expect(limiter.when("a") == .seconds(1), "the bucket is empty: its delay wins")
        #expect(limiter.retries("a") == 2)
    }

    @Test func delayingQueueReleasesItemsWhenTheirTimeComes() async {
        let clock = ManualClock()
        let queue = DelayingWorkQueue<String>(
            rateLimiter: ExponentialFailureRateLimiter<String>(base: .seconds(1), maximum: .seconds(60)), clock: clock)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run() }
            queue.addAfter("later", delay: .seconds(5))
            queue.addAfter("later", delay: .seconds(2))
            queue.addRateLimited("retry")
            #expect(queue.retries("retry") == 1)
            while clock.sleeperCount == 0 { await Task.yield() }
            #expect(queue.queue.count == 0)
            clock.advance(by: .seconds(1))
            #expect(await queue.get() == "retry")
            queue.done("retry")
            clock.advance(by: .seconds(1))
            #expect(await queue.get() == "later", "the earlier of two delays wins")
            queue.done("later")
            queue.shutDown()
            await group.waitForAll()
        }
    }
}
