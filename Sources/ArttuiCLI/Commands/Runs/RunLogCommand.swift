import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui run log ID KEY=JSON...`: sets summary metrics.
struct RunLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Set summary metrics of a run: KEY=JSON, such as val_acc=0.93.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run id.")
    var id: String

    @Argument(help: ArgumentHelp("Metrics as KEY=JSON (a bare word is taken as a string).", valueName: "key=json"))
    var metrics: [String]

    func run() throws {
        let summary = try SummaryArgument.parse(metrics)
        try storeOptions.openRepository().log(run: id, summary: summary)
    }
}

/// Reads `KEY=JSON` arguments into a summary object.
enum SummaryArgument {
    static func parse(_ items: [String]) throws -> [String: JSONValue] {
        var summary: [String: JSONValue] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw StoreError.invalidArgument("metric \(item) is not KEY=JSON, such as val_acc=0.93")
            }
            let text = String(item[item.index(after: equals)...])
            summary[String(item[..<equals])] = (try? Metadata.parseValue(text)) ?? .string(text)
        }
        return summary
    }
}
