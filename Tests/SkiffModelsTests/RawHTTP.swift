import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SkiffAPI
import SkiffTesting

/// A request's answer: status code and body.
struct RawResponse {
    var status: Int
    var body: [UInt8]

    /// The body as JSON.
    func json() throws -> JSONValue { try JSONValue(parsing: body) }
}

extension InProcessCluster {
    /// Sends one request with an optional JSON body past the client, to see the server's bytes as they are.
    func send(_ method: String, _ path: String, json body: String? = nil) async throws -> RawResponse {
        var request = URLRequest(url: URL(string: serverURL + path)!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return RawResponse(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: Array(data))
    }
}
