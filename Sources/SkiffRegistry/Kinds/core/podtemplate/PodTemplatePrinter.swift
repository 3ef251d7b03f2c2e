import SkiffAPI

extension PodTemplateStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Containers", description: "Names of each container in the template."),
         TableColumn("Images", description: "Images referenced by each container in the template."), TableColumn("Pod Labels", description: "The labels for the pod template.")]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? "")] + TableFormat.containerCells(object["template"])
            + [.string(TableFormat.labels(PodTemplate.labels(object["template"])))]
    }
}
