import SkiffAPI
import Testing

@testable import SkiffClient

struct StatusDecodingTests {
    @Test func decodesAStatusBody() {
        let body = #"""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap \"x\" is invalid: data: Required value","reason":"Invalid","details":{"name":"x","kind":"ConfigMap","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"data"}]},"code":422}
            """#
        let error = APIError(statusCode: 422, body: Array(body.utf8))
        #expect(error.code == 422)
        #expect(error.reason == .invalid)
        #expect(error.isInvalid)
        #expect(error.message == "ConfigMap \"x\" is invalid: data: Required value")
        #expect(error.details?.name == "x")
        #expect(error.causes == [APIError.Cause(type: .fieldValueRequired, message: "Required value", field: "data")])
    }

    @Test func roundTripsTheServersErrors() {
        let pods = GroupResource(group: "", resource: "pods")
        let cases: [(APIError, KeyPath<APIError, Bool>)] = [
            (.notFound(pods, name: "a"), \.isNotFound),
            (.alreadyExists(pods, name: "a"), \.isAlreadyExists),
            (.conflict(pods, name: "a", message: APIError.staleObjectMessage), \.isConflict),
            (.expired("too old resource version: 1 (5)"), \.isResourceExpired),
            (.gone("gone"), \.isGone),
            (.forbidden("no"), \.isForbidden),
            (.timeout("slow"), \.isTimeout),
        ]
        for (error, predicate) in cases {
            let decoded = APIError(statusCode: error.code, body: error.status.serialized())
            #expect(decoded.code == error.code)
            #expect(decoded.reason == error.reason)
            #expect(decoded.message == error.message)
            #expect(decoded.details?.name == error.details?.name)
            #expect(decoded[keyPath: predicate])
        }
        #expect(!APIError.notFound(pods, name: "a").isConflict)
        #expect(APIError.expired("x").isGoneOrExpired)
    }

    @Test func bodiesThatAreNotStatusUseTheCode() {
        let error = APIError(statusCode: 404, body: Array("404 page not found".utf8))
        #expect(error.isNotFound)
        #expect(error.message == "404 page not found")
        let empty = APIError(statusCode: 503, body: [])
        #expect(empty.isServiceUnavailable)
        #expect(APIError(statusCode: 429, body: []).isTooManyRequests)
    }

    @Test func retryAfter() {
        let policy = RetryPolicy()
        #expect(policy.retryAfter("3") == .seconds(3))
        #expect(policy.retryAfter(nil) == .seconds(1))
        #expect(policy.retryAfter("soon") == .seconds(1))
        #expect(policy.retryAfter("3600") == .seconds(60))
        #expect(policy.backoff(attempt: 1) == .milliseconds(100))
        #expect(policy.backoff(attempt: 3) == .milliseconds(400))
        #expect(policy.backoff(attempt: 20) == .seconds(5))
    }
}
