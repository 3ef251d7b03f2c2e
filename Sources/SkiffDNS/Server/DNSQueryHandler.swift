/// Turns a query's bytes into a response's bytes: the cluster's names from the resolver, the rest
/// through the forwarder (or REFUSED without upstream resolvers, SERVFAIL when none answered);
/// FORMERR for a message that cannot be read but has a header.
public struct DNSQueryHandler: Sendable {
    public let resolver: ClusterResolver
    public let forwarder: UpstreamForwarder?

    public init(resolver: ClusterResolver, forwarder: UpstreamForwarder?) {
        self.resolver = resolver
        self.forwarder = forwarder
    }

    /// What to do with the bytes of one query.
    public enum Outcome: Sendable {
        /// Send these bytes.
        case respond([UInt8])
        /// Ask upstream (slow: do it off the receive loop) with `forwarded(_:query:)`.
        case forward(DNSMessage)
        /// Drop it (not a query).
        case drop
    }

    /// The outcome for `bytes`; `limit` is the transport's size limit (UDP: 512 or the EDNS size).
    public func handle(_ bytes: [UInt8], overUDP: Bool) -> Outcome {
        let query: DNSMessage
        do {
            query = try DNSMessage(decoding: bytes)
        } catch {
            guard let id = DNSMessage.id(of: bytes), bytes.count >= 12, bytes[2] & 0x80 == 0 else { return .drop }
            var response = DNSMessage(id: id)
            response.isResponse = true
            response.responseCode = .formatError
            return .respond(response.encoded())
        }
        guard !query.isResponse else { return .drop }
        switch resolver.resolve(query) {
        case .answer(let response): return .respond(response.encoded(limit: overUDP ? query.udpResponseLimit : 65535))
        case .forward:
            guard forwarder != nil else {
                var response = query.response(code: .refused)
                response.recursionAvailable = false
                return .respond(response.encoded())
            }
            return .forward(query)
        }
    }

    /// The upstream's answer to `query` (whose wire form is `bytes`), or SERVFAIL.
    public func forwarded(_ bytes: [UInt8], query: DNSMessage) async -> [UInt8] {
        if let answer = await forwarder?.forward(bytes) { return answer }
        var response = query.response(code: .serverFailure)
        response.recursionAvailable = true
        return response.encoded()
    }
}
