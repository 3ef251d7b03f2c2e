/// A resolver configuration in `/etc/resolv.conf`'s format (resolv.conf(5)): what the host's
/// says (the upstream resolvers, the host's search list) and what a pod's is written from.
public struct ResolvConf: Sendable, Hashable {
    /// `nameserver` lines, in order.
    public var nameservers: [String] = []
    /// The `search` list (the last `search` line wins; trailing dots dropped, as the kubelet does).
    public var searches: [String] = []
    /// The `options` (the last `options` line wins), e.g. `ndots:5`.
    public var options: [String] = []

    public init(nameservers: [String] = [], searches: [String] = [], options: [String] = []) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }

    /// Parses resolv.conf text; comment lines (`#`, `;`) and unknown keywords are skipped.
    public init(parsing text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
            switch keyword {
            case "nameserver" where fields.count >= 2: nameservers.append(fields[1])
            case "search": searches = fields.dropFirst().map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
            case "options": options = Array(fields.dropFirst())
            default: continue
            }
        }
    }

    /// The file's text: `search`, then one `nameserver` line each, then `options`, as container
    /// runtimes write a pod's.
    public var text: String {
        var lines: [String] = []
        if !searches.isEmpty { lines.append("search " + searches.joined(separator: " ")) }
        lines += nameservers.map { "nameserver \($0)" }
        if !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
        return lines.map { $0 + "\n" }.joined()
    }
}
