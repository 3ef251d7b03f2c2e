import NIOHTTP1
import SkiffAPI
import SkiffProtobuf
import SkiffRegistry

/// Encodes objects, lists and watch events in the negotiated format (JSON, Table or protobuf).
struct ResponseEncoder: Sendable {
    let info: ResourceInfo
    let strategy: any ResourceStrategy
    let format: ResponseFormat
    /// `includeObject` for tables: `None`, `Metadata` (default) or `Object`.
    let includeObject: String

    init(info: ResourceInfo, strategy: any ResourceStrategy, format: ResponseFormat, query: QueryParameters) {
        self.info = info
        self.strategy = strategy
        self.format = format
        self.includeObject = query["includeObject"] ?? "Metadata"
    }

    static let tableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io"

    func object(_ object: JSONValue, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        guard format == .table else { return .negotiated(object, format: format, status: status) }
        return .json(table(rows: [object], listMetadata: ["resourceVersion": object.metadata["resourceVersion"] ?? ""]),
                     status: status, contentType: Self.tableContentType)
    }

    /// A value never shown as a table (a `Status`, a deleted collection): JSON or protobuf.
    func plain(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        .negotiated(value, format: format, status: status)
    }

    func list(_ result: ListResult) -> HTTPResponse {
        var metadata: JSONValue = ["resourceVersion": .string(String(result.revision))]
        if let token = result.continueToken { metadata["continue"] = .string(token) }
        if let remaining = result.remainingItemCount { metadata["remainingItemCount"] = .int(remaining) }
        if format == .table {
            return .json(table(rows: result.items.map(\.decoded), listMetadata: metadata), contentType: Self.tableContentType)
        }
        if format == .protobuf, let response = protobufList(result, metadata: metadata) { return response }
        // Items are already encoded in the cache: splice their bytes instead of re-encoding. The
        // members in Go's order for a list (`kind`, `apiVersion`, `metadata`, `items`), and a final
        // newline, as kube-apiserver writes them.
        var bytes = Array(#"{"kind":"#.utf8)
        JSONValue.string(info.listKind).write(to: &bytes)
        bytes += Array(#","apiVersion":"#.utf8)
        JSONValue.string(info.apiVersion).write(to: &bytes)
        bytes += Array(#","metadata":"#.utf8)
        metadata.write(to: &bytes, shapes: GoFieldOrder.shapes)
        bytes += Array(#","items":["#.utf8)
        for (index, item) in result.items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += item.bytes
        }
        bytes += Array("]}\n".utf8)
        return .jsonBytes(bytes)
    }

    /// The list as a `…List` message of the items' cached messages; nil when an item has no
    /// protobuf form (then the list is JSON).
    private func protobufList(_ result: ListResult, metadata: JSONValue) -> HTTPResponse? {
        var items: [[UInt8]] = []
        items.reserveCapacity(result.items.count)
        for item in result.items {
            guard let message = item.protobuf else { return nil }
            items.append(message)
        }
        guard let bytes = try? KubernetesProtobuf.encodeList(apiVersion: info.apiVersion, kind: info.listKind, metadata: metadata, items: items)
        else { return nil }
        return HTTPResponse(status: .ok, headers: ["Content-Type": ResponseFormat.protobufContentType], body: .bytes(bytes))
    }

    /// A `Table` with one row per object.
    func table(rows objects: [JSONValue], listMetadata: JSONValue) -> JSONValue {
        let now = Timestamp.now()
        let columns = strategy.tableColumns.map { column -> JSONValue in
            ["name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
             "description": .string(column.description), "priority": .int(Int64(column.priority))]
        }
        let rows = objects.map { object -> JSONValue in
            var row: JSONValue = ["cells": .array(strategy.tableCells(for: object, now: now))]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = object
            default:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object.metadata]
            }
            return row
        }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata,
                "columnDefinitions": .array(columns), "rows": .array(rows)]
    }

    /// A watch stream's `Content-Type`.
    var watchContentType: String {
        switch format {
        case .table: Self.tableContentType
        case .protobuf: ResponseFormat.protobufWatchContentType
        default: "application/json"
        }
    }

    /// One watch event: the line `{"type":"ADDED","object":{…}}\n` (Go's `WatchEvent` order), or
    /// a protobuf frame of the object's cached message.
    func watchFrame(type: WatchEventType, object: CachedObject) -> [UInt8] {
        switch format {
        case .table:
            return watchFrame(type: type, value: table(rows: [object.decoded], listMetadata: ["resourceVersion": .string(String(object.revision))]))
        case .protobuf:
            guard let message = object.protobuf else {
                return watchFrame(type: .error, value: APIError.internalError("cannot encode \(object.key) as protobuf").status)
            }
            // The cache of a resource holds objects of its own group version and kind.
            let enveloped = KubernetesProtobuf.envelope(message, apiVersion: info.apiVersion, kind: info.kind)
            return ProtobufWatchFrame(type: type.rawValue, object: enveloped).bytes
        default:
            return Self.watchFrameHead(type) + object.bytes + Array("}\n".utf8)
        }
    }

    /// A watch event for a JSON value (tables, bookmarks, errors).
    func watchFrame(type: WatchEventType, value: JSONValue) -> [UInt8] {
        if format == .protobuf, let enveloped = try? KubernetesProtobuf.encode(value) {
            return ProtobufWatchFrame(type: type.rawValue, object: enveloped).bytes
        }
        var bytes = Self.watchFrameHead(type)
        value.write(to: &bytes, shapes: GoFieldOrder.shapes)
        return bytes + Array("}\n".utf8)
    }

    /// `{"type":"ADDED","object":`
    private static func watchFrameHead(_ type: WatchEventType) -> [UInt8] {
        Array(#"{"type":""#.utf8) + Array(type.rawValue.utf8) + Array(#"","object":"#.utf8)
    }
}
