import Foundation
import SkiffAPI

/// Bearer tokens listed in a CSV file (upstream's `--token-auth-file`): one token a line as
/// `token,user,uid` with an optional fourth column of comma-separated groups
/// (`token,jane,42,"devs,ops"`). A token not in the file is refused (`401`), so a wrong token
/// never falls through to anonymous access.
public struct TokenFileAuthenticator: Authenticator {
    /// The users by token.
    let users: [String: UserInfo]

    /// The given tokens.
    public init(tokens: [String: UserInfo]) {
        users = tokens
    }

    /// The tokens of `csv`; a line with fewer than three columns is an error, as upstream.
    public init(csv: String, path: String = "") throws(APIError) {
        var users: [String: UserInfo] = [:]
        for line in csv.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let record = CSVRecord.fields(of: String(line))
            guard record.count >= 3 else {
                throw .badRequest("token file '\(path)' must have at least 3 columns (token, user name, user uid), found \(record.count)")
            }
            guard !record[0].isEmpty else { continue }
            let groups = record.count >= 4 ? record[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init) : []
            users[record[0]] = UserInfo(name: record[1], uid: record[2], groups: groups)
        }
        self.init(tokens: users)
    }

    /// The tokens of the file at `path`.
    public init(path: String) throws {
        try self.init(csv: try String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        guard let token = BearerToken.of(request) else { return nil }
        guard let user = users[token] else { throw AuthenticationError.invalidBearerToken }
        return user
    }
}

/// Why credentials were refused.
public enum AuthenticationError: Error, Sendable, Hashable {
    /// A bearer token nobody issued.
    case invalidBearerToken
    /// A token its authenticator knows and refuses, with the reason (upstream's validator message).
    case refused(String)
}

/// The bearer token of a request's `Authorization` header.
enum BearerToken {
    /// The token after `Bearer ` (case-insensitive scheme); nil when there is none or it is empty.
    static func of(_ request: HTTPRequest) -> String? {
        guard let header = request.headers.first(name: "authorization") else { return nil }
        let parts = header.trimmingSpaces().split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingSpaces()
        return token.isEmpty ? nil : token
    }
}

/// Splits one CSV line (RFC 4180 quoting: `"a,b"`, `""` for a quote).
enum CSVRecord {
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
