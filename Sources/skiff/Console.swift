import Foundation

/// Writes lines to standard output unbuffered, so a supervising process sees them at once.
enum Console {
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Rows as columns padded to their widest cell plus three spaces (the first row is the header),
    /// as kubeadm and crictl print their tables.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 3, withPad: " ", startingAt: 0)
            }.joined() + "\n"
        }.joined()
    }
}
