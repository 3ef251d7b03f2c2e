extension HTTPRequest {
    /// Who a write is recorded for in managed fields: the `fieldManager` parameter or, as
    /// upstream, the user agent up to its first `/` (`kubectl/v1.32.4 …` → `kubectl`).
    var fieldManager: String? {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        guard let agent = headers.first(name: "user-agent"), let product = agent.split(separator: "/").first else { return nil }
        return String(product.prefix(128))
    }
}
