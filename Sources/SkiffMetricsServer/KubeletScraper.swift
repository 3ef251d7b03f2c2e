import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SkiffAPI

/// Reads nodes' `/metrics/resource` from their kubelets: over plain HTTP on `host` (Skiff's
/// kubelets serve on loopback) at the port each node reports, naming the node (`?node=`) for
/// hosts that run several simulated nodes.
struct KubeletScraper: Sendable {
    let http: HTTPClient
    let host: String
    let timeout: Duration
    let clock: any TimestampClock

    /// Node `name`'s figures at its kubelet's `port`.
    func scrape(node name: String, port: Int) async throws -> NodeScrape {
        // Node names are DNS subdomains: nothing to escape.
        let request = HTTPClientRequest(url: "http://\(host):\(port)/metrics/resource?node=\(name)")
        let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        guard response.status == .ok else {
            throw ScrapeError(message: "request failed, status: \(response.status.code)")
        }
        return NodeScrape(text: String(buffer: body), receivedAt: clock.now)
    }
}

/// Why a node could not be scraped.
struct ScrapeError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
