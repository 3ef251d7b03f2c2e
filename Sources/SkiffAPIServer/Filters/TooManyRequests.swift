extension HTTPResponse {
    /// Upstream's answer to a request the server will not take now (`tooManyRequests` of the
    /// max-in-flight and priority-and-fairness filters): `429` with a plain-text message and
    /// `Retry-After`.
    static func tooManyRequests(retryAfterSeconds: Int) -> HTTPResponse {
        var response = HTTPResponse.text("Too many requests, please try again later.\n", status: .tooManyRequests)
        response.headers.add(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.add(name: "Retry-After", value: String(retryAfterSeconds))
        return response
    }
}
