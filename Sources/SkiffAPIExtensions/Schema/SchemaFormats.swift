import Foundation
import SkiffAPI

/// The string formats the apiextensions server checks (kube-openapi's strfmt registry as
/// upstream configures it); unknown formats are accepted, as upstream.
enum SchemaFormats {
    static func accepts(_ text: String, format: String) -> Bool {
        switch format {
        case "uuid", "uuid3", "uuid4", "uuid5":
            return matches(text, "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        case "ipv4":
            return isIPv4(text)
        case "ipv6":
            return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        case "cidr":
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let bits = Int(parts[1]) else { return false }
            if isIPv4(String(parts[0])) { return (0...32).contains(bits) }
            return accepts(String(parts[0]), format: "ipv6") && (0...128).contains(bits)
        case "mac":
            return matches(text, "^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$")
        case "hostname":
            return text.count <= 255 && matches(text, "^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")
        case "email":
            return matches(text, "^[^@\\s]+@[^@\\s]+$")
        case "byte":
            return Data(base64Encoded: text) != nil
        case "date":
            return matches(text, "^\\d{4}-\\d{2}-\\d{2}$")
        case "date-time", "datetime":
            return Timestamp(rfc3339: text) != nil || matches(text, "^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$")
        case "duration":
            return matches(text, "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h|d|w))+$")
        case "uri":
            return URL(string: text)?.scheme != nil
        case "hexcolor":
            return matches(text, "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
        default:
            return true
        }
    }

    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
        }
    }

    private static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }
}
