import SkiffAPI
import SkiffModels
import Synchronization

/// How long a job waits before replacing failed pods (upstream's pod failure back-off):
/// `base` after the first failure since the last success, doubling with every further one, at
/// most `maximum`. Records are kept in memory per job key, as upstream does.
final class JobBackoff: Sendable {
    /// The failures since the last success and when the latest happened.
    struct Record: Sendable, Hashable {
        var failuresAfterLastSuccess = 0
        var lastFailureTime: Timestamp?
    }

    private let base: Duration
    private let maximum: Duration
    private let records = Mutex<[String: Record]>([:])

    init(base: Duration, maximum: Duration) {
        self.base = base
        self.maximum = maximum
    }

    /// The record of `key` after the newly finished pods (upstream's `newBackoffRecord`); a
    /// success resets the count to the failures that finished after it.
    func record(_ key: String, newSucceeded: [CoreV1.Pod], newFailed: [CoreV1.Pod], now: Timestamp) -> Record {
        var record = records.withLock { $0[key] } ?? Record()
        let failureTimes = newFailed.map { $0.finishTime ?? now }
        if newSucceeded.isEmpty {
            guard !failureTimes.isEmpty else { return record }
            record.failuresAfterLastSuccess += failureTimes.count
            record.lastFailureTime = failureTimes.max()
            return record
        }
        let lastSuccess = newSucceeded.map { $0.finishTime ?? now }.max() ?? now
        let failuresAfter = failureTimes.filter { $0 > lastSuccess }
        record.failuresAfterLastSuccess = failuresAfter.count
        record.lastFailureTime = failuresAfter.max()
        return record
    }

    /// Keeps `record` for `key`.
    func store(_ record: Record, for key: String) {
        records.withLock { $0[key] = record }
    }

    /// Forgets `key`.
    func delete(_ key: String) {
        records.withLock { $0[key] = nil }
    }

    /// How long pod creation must still wait at `now` under `record`; zero when it may go ahead.
    func remaining(_ record: Record, now: Timestamp) -> Duration {
        guard record.failuresAfterLastSuccess > 0, let last = record.lastFailureTime else { return .zero }
        var delay = base
        for _ in 1..<record.failuresAfterLastSuccess {
            delay *= 2
            if delay >= maximum {
                delay = maximum
                break
            }
        }
        let elapsed = now.duration(since: last)
        return elapsed >= delay ? .zero : delay - elapsed
    }
}
