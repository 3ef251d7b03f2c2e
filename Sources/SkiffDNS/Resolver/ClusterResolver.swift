import SkiffModels

/// Answers queries for the cluster domain from a `ClusterDirectory`, with the records of the
/// Kubernetes DNS specification (kubernetes/dns docs/specification.md, schema 1.0.1) as CoreDNS'
/// `kubernetes` plugin serves them; names outside the cluster domain, and reverse names of
/// addresses the cluster does not know, are for the upstream resolvers.
public struct ClusterResolver: Sendable {
    /// What the resolver serves.
    public struct Configuration: Sendable {
        /// The cluster domain (`--cluster-domain`).
        public var domain: DNSName = DNSName(labels: ["cluster", "local"])
        /// The TTL of every answer, and the SOA's negative-caching TTL.
        public var ttl: UInt32 = 30
        /// The SOA serial.
        public var serial: UInt32 = 1

        public init() {}
    }

    /// What the resolver did with a query.
    public enum Resolution: Sendable, Equatable {
        /// The response to send.
        case answer(DNSMessage)
        /// Not the cluster's: send it to the upstream resolvers.
        case forward
    }

    /// The version of the DNS schema served, in `dns-version.<zone>` (TXT).
    public static let schemaVersion = "1.0.1"

    public let configuration: Configuration
    private let directory: any ClusterDirectory

    public init(directory: any ClusterDirectory, configuration: Configuration = Configuration()) {
        self.directory = directory
        self.configuration = configuration
    }

    /// The resolution of `query`.
    public func resolve(_ query: DNSMessage) -> Resolution {
        guard query.opcode == 0 else { return .answer(query.response(code: .notImplemented)) }
        guard query.questions.count == 1, let question = query.questions.first else { return .answer(query.response(code: .formatError)) }
        let name = question.name
        let answer: Answer
        if let labels = name.labels(under: configuration.domain) {
            answer = zoneAnswer(labels, question: question)
        } else if let address = IPAddress.reversed(name), let found = reverse(address, question: question) {
            answer = found
        } else {
            return .forward
        }
        var response = query.response(code: answer.code)
        response.isAuthoritative = true
        response.recursionAvailable = true
        response.answers = answer.records
        response.additionals = answer.additionals
        if answer.records.isEmpty { response.authorities = [soa] }
        if let edns = query.edns { response.edns = DNSMessage.EDNS(udpPayloadSize: max(edns.udpPayloadSize, 512)) }
        return .answer(response)
    }

    // MARK: - Answers

    private struct Answer {
        var code = DNSResponseCode.noError
        var records: [DNSRecord] = []
        var additionals: [DNSRecord] = []

        static let nxdomain = Answer(code: .nameError)
        /// The name exists but has no records of the type asked for.
        static let nodata = Answer()
    }

    private var soa: DNSRecord {
        let domain = configuration.domain
        return DNSRecord(
            name: domain, ttl: configuration.ttl,
            data: .soa(.init(primary: DNSName(labels: ["ns", "dns"] + domain.labels), mailbox: domain.prepending("hostmaster"),
                             serial: configuration.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: configuration.ttl)))
    }

    private func zoneAnswer(_ labels: [String], question: DNSQuestion) -> Answer {
        switch labels.last {
        case nil:
            return question.type == .soa || question.type == .any ? Answer(records: [soa]) : .nodata
        case "dns-version"? where labels.count == 1:
            return matches(question.type, .txt)
                ? Answer(records: [DNSRecord(name: question.name, ttl: configuration.ttl, data: .txt([Self.schemaVersion]))]) : .nodata
        case "svc"?:
            return serviceAnswer(Array(labels.dropLast()), question: question)
        case "pod"?:
            return podAnswer(Array(labels.dropLast()), question: question)
        default:
            return .nxdomain
        }
    }

    /// `<svc>.<ns>.svc`, `<endpoint>.<svc>.<ns>.svc`, `_<port>._<proto>.<svc>.<ns>.svc`.
    private func serviceAnswer(_ labels: [String], question: DNSQuestion) -> Answer {
        guard let namespace = labels.last else { return .nodata }
        if labels.count == 1 { return directory.namespaceExists(namespace) ? .nodata : .nxdomain }
        guard let service = directory.service(namespace: namespace, name: labels[labels.count - 2]) else { return .nxdomain }
        switch labels.count {
        case 2: return addressAnswer(service, question: question)
        case 3: return endpointAnswer(service, hostname: labels[0], question: question)
        case 4 where labels[0].hasPrefix("_") && labels[1].hasPrefix("_"):
            return srvAnswer(service, port: String(labels[0].dropFirst()), protocol: String(labels[1].dropFirst()), question: question)
        default: return .nxdomain
        }
    }

    private func addressAnswer(_ service: CoreV1.Service, question: DNSQuestion) -> Answer {
        let spec = service.spec
        if spec?.type == "ExternalName" {
            guard let target = spec?.externalName.flatMap(DNSName.init) else { return .nxdomain }
            return Answer(records: [DNSRecord(name: question.name, ttl: configuration.ttl, data: .cname(target))])
        }
        let addresses: [String]
        if let clusterIPs = Self.clusterIPs(service) {
            addresses = clusterIPs
        } else {
            addresses = readyEndpoints(of: service).flatMap(\.addresses)
            if addresses.isEmpty { return .nxdomain }
        }
        return Answer(records: records(for: question, owner: question.name, addresses: addresses))
    }

    private func endpointAnswer(_ service: CoreV1.Service, hostname: String, question: DNSQuestion) -> Answer {
        let endpoints = readyEndpoints(of: service).filter { $0.label == hostname }
        guard !endpoints.isEmpty else { return .nxdomain }
        return Answer(records: records(for: question, owner: question.name, addresses: endpoints.flatMap(\.addresses)))
    }

    private func srvAnswer(_ service: CoreV1.Service, port: String, protocol proto: String, question: DNSQuestion) -> Answer {
        let serviceName = question.name.labels.dropFirst(2)
        let owner = DNSName(labels: Array(serviceName))
        var targets: [(target: DNSName, port: Int32, addresses: [String])] = []
        if let clusterIPs = Self.clusterIPs(service) {
            for servicePort in service.spec?.ports ?? [] where Self.portMatches(servicePort.name, servicePort.protocol, port, proto) {
                targets.append((owner, servicePort.port, clusterIPs))
            }
        } else {
            for endpoint in readyEndpoints(of: service) {
                for endpointPort in endpoint.ports where Self.portMatches(endpointPort.name, endpointPort.protocol, port, proto) {
                    targets.append((owner.prepending(endpoint.label), endpointPort.port ?? 0, endpoint.addresses))
                }
            }
        }
        guard !targets.isEmpty else { return .nxdomain }
        guard matches(question.type, .srv) else { return .nodata }
        let weight = UInt16(max(1, 100 / targets.count))
        var answer = Answer()
        var seen = Set<DNSName>()
        for target in targets {
            answer.records.append(DNSRecord(
                name: question.name, ttl: configuration.ttl,
                data: .srv(priority: 0, weight: weight, port: UInt16(clamping: target.port), target: target.target)))
            if seen.insert(target.target).inserted {
                answer.additionals += target.addresses.compactMap(IPAddress.record).map { DNSRecord(name: target.target, ttl: configuration.ttl, data: $0) }
            }
        }
        return answer
    }

    /// `<a>-<b>-<c>-<d>.<ns>.pod` answers the address it spells (`pods insecure`, as kubeadm's CoreDNS).
    private func podAnswer(_ labels: [String], question: DNSQuestion) -> Answer {
        guard labels.count == 2 else { return labels.count < 2 ? .nodata : .nxdomain }
        let dotted = labels[0].replacingOccurrences(of: "-", with: ".")
        let colons = labels[0].replacingOccurrences(of: "-", with: ":")
        guard IPAddress.v4(dotted) != nil || IPAddress.v6(colons) != nil else { return .nxdomain }
        return Answer(records: records(for: question, owner: question.name, addresses: [IPAddress.v4(dotted) != nil ? dotted : colons]))
    }

    /// PTR for a service's cluster IP (`<svc>.<ns>.svc.<zone>`) or a ready endpoint's address
    /// (`<hostname>.<svc>.<ns>.svc.<zone>`); nil if the cluster has no such address.
    private func reverse(_ address: [UInt8], question: DNSQuestion) -> Answer? {
        var targets: [DNSName] = []
        for service in directory.services() where Self.clusterIPs(service)?.contains(where: { IPAddress.bytes($0) == address }) == true {
            targets.append(serviceName(service))
        }
        if targets.isEmpty {
            for slice in directory.endpointSlices() {
                guard let serviceName = slice.metadata?.labels?[serviceNameLabel],
                    let service = directory.service(namespace: slice.namespace, name: serviceName)
                else { continue }
                for endpoint in Self.endpoints(of: slice, service: service) where endpoint.addresses.contains(where: { IPAddress.bytes($0) == address }) {
                    targets.append(self.serviceName(service).prepending(endpoint.label))
                }
            }
        }
        guard !targets.isEmpty else { return nil }
        guard matches(question.type, .ptr) else { return .nodata }
        return Answer(records: targets.map { DNSRecord(name: question.name, ttl: configuration.ttl, data: .ptr($0)) })
    }

    // MARK: - Helpers

    private func serviceName(_ service: CoreV1.Service) -> DNSName {
        DNSName(labels: [service.name, service.namespace, "svc"] + configuration.domain.labels)
    }

    private func matches(_ asked: DNSRecordType, _ type: DNSRecordType) -> Bool { asked == type || asked == .any }

    /// A and AAAA records of `addresses` that answer the question's type.
    private func records(for question: DNSQuestion, owner: DNSName, addresses: [String]) -> [DNSRecord] {
        var seen = Set<[UInt8]>()
        return addresses.compactMap(IPAddress.record).filter { matches(question.type, $0.type) }.filter { data in
            switch data {
            case .a(let bytes), .aaaa(let bytes): seen.insert(bytes).inserted
            default: true
            }
        }.map { DNSRecord(name: owner, ttl: configuration.ttl, data: $0) }
    }

    /// A service's cluster IPs; nil for headless services (and those without an address yet).
    static func clusterIPs(_ service: CoreV1.Service) -> [String]? {
        let ips = service.spec?.clusterIPs ?? service.spec?.clusterIP.map { [$0] } ?? []
        let usable = ips.filter { !$0.isEmpty && $0 != "None" }
        return usable.isEmpty ? nil : usable
    }

    static func portMatches(_ name: String?, _ proto: String?, _ port: String, _ wanted: String) -> Bool {
        guard let name, !name.isEmpty else { return false }
        return name.lowercased() == port && (proto ?? "TCP").lowercased() == wanted
    }

    /// One endpoint as DNS sees it: its label (hostname, else the dashed address) and its ports.
    struct Endpoint {
        var label: String
        var addresses: [String]
        var ports: [DiscoveryV1.EndpointPort]
    }

    private func readyEndpoints(of service: CoreV1.Service) -> [Endpoint] {
        directory.endpointSlices(namespace: service.namespace, service: service.name).flatMap { Self.endpoints(of: $0, service: service) }
    }

    /// The endpoints of a slice DNS publishes: ready ones (a missing condition counts as ready),
    /// or all with `publishNotReadyAddresses`.
    static func endpoints(of slice: DiscoveryV1.EndpointSlice, service: CoreV1.Service) -> [Endpoint] {
        let all = service.spec?.publishNotReadyAddresses == true
        return slice.endpoints.filter { all || $0.conditions?.ready ?? true }.map { endpoint in
            Endpoint(
                label: (endpoint.hostname ?? IPAddress.dashed(endpoint.addresses.first ?? "")).lowercased(), addresses: endpoint.addresses,
                ports: slice.ports ?? [])
        }
    }
}
