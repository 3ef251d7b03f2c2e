import SkiffAPI
import Synchronization
import Testing

@testable import SkiffClient

/// `retryOnConflict`, as client-go's `retry.RetryOnConflict`.
struct RetryOnConflictTests {
    let immediate = ConflictBackoff(steps: 5, delay: .zero, jitter: 0)
    let conflict = APIError(code: 409, reason: .conflict, message: "the object has been modified")

    @Test func retriesConflictsUntilAnAttemptSucceeds() async throws {
        let attempts = Atomic(0)
        let result = try await retryOnConflict(immediate) {
            if attempts.add(1, ordering: .relaxed).newValue < 3 { throw conflict }
            return "updated"
        }
        #expect(result == "updated")
        #expect(attempts.load(ordering: .relaxed) == 3)
    }

    @Test func givesUpAfterTheLastStep() async throws {
        let attempts = Atomic(0)
        await #expect(throws: APIError.self) {
            try await retryOnConflict(immediate) {
                attempts.add(1, ordering: .relaxed)
                throw conflict
            }
        }
        #expect(attempts.load(ordering: .relaxed) == 5)
    }

    @Test func otherErrorsAreNotRetried() async throws {
        let attempts = Atomic(0)
        await #expect(throws: APIError.self) {
            try await retryOnConflict(immediate) {
                attempts.add(1, ordering: .relaxed)
                throw APIError(code: 404, reason: .notFound, message: "gone")
            }
        }
        #expect(attempts.load(ordering: .relaxed) == 1)
    }
}
