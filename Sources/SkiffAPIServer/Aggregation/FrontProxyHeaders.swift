import Foundation
import NIOHTTP1
import SkiffAPI

/// The identity headers a front proxy (the aggregator) sends an extension server, as upstream's
/// `--requestheader-*` defaults name them: `X-Remote-User`, one `X-Remote-Group` per group and
/// one `X-Remote-Extra-<key>` per extra value, the key percent-encoded where a header name may
/// not carry it (upstream's `headerKeyEscape`). Whatever the client sent under these names is
/// dropped first, so a client cannot speak for someone else.
enum FrontProxyHeaders {
    static let user = "X-Remote-User"
    static let group = "X-Remote-Group"
    static let extraPrefix = "X-Remote-Extra-"

    /// `headers` without any identity header, then with `user`'s.
    static func setting(_ user: UserInfo, on headers: HTTPHeaders) -> HTTPHeaders {
        var result = HTTPHeaders(headers.filter { !isIdentityHeader($0.name) }.map { ($0.name, $0.value) })
        result.add(name: Self.user, value: user.name)
        for group in user.groups { result.add(name: Self.group, value: group) }
        for key in user.extra.keys.sorted() {
            for value in user.extra[key] ?? [] { result.add(name: extraPrefix + escape(key), value: value) }
        }
        return result
    }

    /// Whether `name` is one of the identity headers.
    static func isIdentityHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == user.lowercased() || lower == group.lowercased() || lower.hasPrefix(extraPrefix.lowercased())
    }

    /// `key` with every byte that is not an RFC 7230 token character (and `%` itself) as `%XX`.
    static func escape(_ key: String) -> String {
        var escaped = ""
        for byte in key.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, byte != UInt8(ascii: "%"), tokenCharacters.contains(scalar) {
                escaped.unicodeScalars.append(scalar)
            } else {
                escaped += String(format: "%%%02X", UInt32(byte))
            }
        }
        return escaped
    }

    private static let tokenCharacters = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~")
        .union(CharacterSet(charactersIn: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
}
