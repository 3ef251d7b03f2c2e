import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import SkiffAPI
import SkiffDNS
import SkiffModels

/// Cluster DNS queries per second (`skiff bench dns`): a `DNSServer` on loopback answering A
/// queries for services of a fixed cluster, many clients each sending one query over UDP and
/// waiting for its answer before the next (as dnsperf's outstanding-queries limit of 1 per client).
public enum DNSBenchmark {
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "Concurrent clients.")
        public var clients = 64

        @Option(help: "How long to query, in seconds.")
        public var seconds = 5.0

        @Option(help: "Services in the cluster (queried round-robin).")
        public var services = 1000

        public init() {}
    }

    private typealias UDPChannel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>

    public static func run(_ options: Options, report: @escaping BenchmarkReport) async throws {
        let services = (0..<options.services).map { index -> CoreV1.Service in
            var spec = CoreV1.ServiceSpec()
            spec.clusterIP = "10.96.\(index / 250 + 1).\(index % 250 + 1)"
            return CoreV1.Service(metadata: ObjectMeta(name: "svc-\(index)", namespace: "bench"), spec: spec)
        }
        let handler = DNSQueryHandler(resolver: ClusterResolver(directory: StaticDirectory(services: services)), forwarder: nil)
        var configuration = DNSServer.Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = DNSServer(configuration: configuration, handler: handler, logger: Logger(label: "bench-dns"))
        let sockets = try await server.bind()
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: sockets.port)
        let queries = (0..<options.services).map { index -> [UInt8] in
            var query = DNSMessage(id: UInt16(index & 0xffff))
            query.recursionDesired = true
            query.questions = [DNSQuestion(name: DNSName(labels: ["svc-\(index)", "bench", "svc", "cluster", "local"]), type: .a)]
            return query.encoded()
        }
        let clock = ContinuousClock()
        let (start, deadline) = (clock.now, clock.now + .milliseconds(Int(options.seconds * 1000)))
        let latencies = try await withThrowingTaskGroup(of: [Duration]?.self) { group in
            group.addTask {
                try await server.serve(sockets)
                return nil
            }
            for client in 0..<options.clients {
                group.addTask {
                    let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .bind(host: "127.0.0.1", port: 0) { channel in
                            channel.eventLoop.makeCompletedFuture { try UDPChannel(wrappingChannelSynchronously: channel) }
                        }
                    return try await channel.executeThenClose { inbound, outbound in
                        var samples: [Duration] = []
                        var responses = inbound.makeAsyncIterator()
                        var index = client
                        while clock.now < deadline {
                            let began = clock.now
                            try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: queries[index % queries.count])))
                            guard let response = try await responses.next(), response.data.readableBytes > 12 else {
                                throw BenchmarkError("no answer to a DNS query")
                            }
                            samples.append(clock.now - began)
                            index += options.clients
                        }
                        return samples
                    }
                }
            }
            var all: [Duration] = []
            for _ in 0..<options.clients {
                if let samples = try await group.next() { all += samples ?? [] }
            }
            group.cancelAll()
            return all.sorted()
        }
        let seconds = (clock.now - start).seconds
        func milliseconds(_ quantile: Double) -> String {
            latencies.isEmpty ? "-" : String(format: "%.2f", latencies[min(latencies.count - 1, Int(Double(latencies.count) * quantile))].seconds * 1000)
        }
        report(String(format: "dns: %d services, %d UDP clients, %d queries in %.1fs = %.0f queries/s, p50 %@ ms, p99 %@ ms",
                      options.services, options.clients, latencies.count, seconds, Double(latencies.count) / seconds, milliseconds(0.5), milliseconds(0.99)))
    }
}
