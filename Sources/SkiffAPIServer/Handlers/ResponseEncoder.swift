import NIOHTTP1
import SkiffAPI
import SkiffProtobuf
import SkiffRegistry

/// Encodes objects, lists and watch events in the negotiated format (JSON or Table).
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
        guard format == .table else { return .json(object, status: status) }
        return .json(table(rows: [object], listMetadata: ["resourceVersion": object.metadata["resourceVersion"] ?? ""]),
                     status: status, contentType: Self.tableContentType)
    }

    func list(_ result: ListResult) -> HTTPResponse {
        var metadata: JSONValue = ["resourceVersion": .string(String(result.revision))]
        if let token = result.continueToken { metadata["continue"] = .string(token) }
        if let remaining = result.remainingItemCount { metadata["remainingItemCount"] = .int(remaining) }
        if format == .table {
            return .json(table(rows: result.items.map(\.decoded), listMetadata: metadata), contentType: Self.tableContentType)
        }
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

    /// One watch event line: `{"type":"ADDED","object":{…}}\n` (Go's `WatchEvent` order).
    func watchFrame(type: WatchEventType, object: CachedObject) -> [UInt8] {
        if format == .table {
            return watchFrame(type: type, value: table(rows: [object.decoded], listMetadata: ["resourceVersion": .string(String(object.revision))]))
        }
        return Self.watchFrameHead(type) + object.bytes + Array("}\n".utf8)
    }

    /// A watch event line for a JSON value (tables, bookmarks, errors).
    func watchFrame(type: WatchEventType, value: JSONValue) -> [UInt8] {
        var bytes = Self.watchFrameHead(type)
        value.write(to: &bytes, shapes: GoFieldOrder.shapes)
        return bytes + Array("}\n".utf8)
    }

    /// `{"type":"ADDED","object":`
    private static func watchFrameHead(_ type: WatchEventType) -> [UInt8] {
        Array(#"{"type":""#.utf8) + Array(type.rawValue.utf8) + Array(#"","object":"#.utf8)
    }
}
