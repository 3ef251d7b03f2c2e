/// A column of the server-side `Table` output (`meta.k8s.io/v1` `TableColumnDefinition`).
public struct TableColumn: Sendable, Hashable {
    public var name: String
    /// The OpenAPI type of the cells: `string`, `integer`, `number`, `boolean`, `date`.
    public var type: String
    public var format: String
    public var description: String
    /// 0 for the default columns; higher priorities appear with `-o wide`.
    public var priority: Int

    public init(_ name: String, type: String = "string", format: String = "", description: String = "", priority: Int = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    /// The `NAME` column every table starts with.
    public static let name = TableColumn("Name", format: "name", description: "Name must be unique within a namespace.")
    /// The `AGE` column most tables end with.
    public static let age = TableColumn("Age", description: "Time since the object was created.")
}
