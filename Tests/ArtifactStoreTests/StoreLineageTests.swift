import Foundation
import Testing
@testable import ArtifactStore

@Suite struct StoreLineageTests {
    /// dataset → train → model:v0 → eval → report, and a second training run making model:v1.
    private func pipeline(_ fixture: StoreFixture) throws -> (dataset: ArtifactVersion, model: ArtifactVersion,
                                                             train: Run, eval: Run)
    {
        let store = fixture.store
        let prep = try store.startRun(project: "proj", name: "prep")
        var draft = ArtifactDraft(name: "data")
        try draft.addDirectory(fixture.tree("d", ["a.txt": Array("rows".utf8)]))
        let dataset = try prep.logArtifact(draft).version
        let train = try store.startRun(project: "proj", name: "train", jobType: "train")
        try train.useArtifact(dataset)
        try train.useArtifact(dataset)
        var model = ArtifactDraft(name: "model", type: "model")
        try model.addDirectory(fixture.tree("m", ["w.bin": Array("weights".utf8)]))
        let modelVersion = try train.logArtifact(model).version
        let eval = try store.startRun(project: "proj", name: "eval", jobType: "eval")
        try eval.useArtifact("proj/model:latest")
        var report = ArtifactDraft(name: "report", type: "eval")
        try report.addDirectory(fixture.tree("r", ["r.txt": Array("0.9".utf8)]))
        try eval.logArtifact(report)
        return (dataset, modelVersion, train, eval)
    }

    @Test func walksOneHopEachWayLikeTheReference() throws {
        let fixture = try StoreFixture()
        let (dataset, model, train, eval) = try pipeline(fixture)
        #expect(try fixture.store.loggedBy(model)?.id == train.id)
        #expect(try fixture.store.usedBy(dataset).map(\.id) == [train.id])
        #expect(try train.usedArtifacts().map(\.id) == [dataset.id])
        #expect(try train.loggedArtifacts().map(\.id) == [model.id])
        #expect(try eval.usedArtifacts().map(\.qualifiedName) == ["proj/model:v0"])
    }

    @Test func lineageFollowsSeveralHopsInBothDirections() throws {
        let fixture = try StoreFixture()
        let (_, model, _, _) = try pipeline(fixture)
        let graph = try fixture.store.lineage(of: model, upstream: 3, downstream: 3)
        let keys = Set(graph.nodes.map(\.key))
        #expect(keys.contains("artifact:proj/data:v0"))
        #expect(keys.contains("artifact:proj/report:v0"))
        // model ← train ← data ← prep, and model → eval → report.
        #expect(graph.nodes.count == 6)
        #expect(graph.edges.count == 5)
        let near = try fixture.store.lineage(of: model, upstream: 1, downstream: 0)
        #expect(near.nodes.count == 2)
    }

    @Test func deletedVersionsStayInTheGraphAsTombstones() throws {
        let fixture = try StoreFixture()
        let (dataset, model, _, _) = try pipeline(fixture)
        try fixture.store.delete([dataset])
        let graph = try fixture.store.lineage(of: model, upstream: 3, downstream: 0)
        let tombstone = graph.nodes.first { $0.key == "artifact:proj/data:v0" }
        guard case .version(_, _, _, _, _, let deleted)? = tombstone else {
            Issue.record("the deleted dataset is missing from the graph")
            return
        }
        #expect(deleted)
    }

    @Test func runIDsAreGeneratedUniqueAndResumeFollowsTheMode() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.startRun(project: "proj")
        #expect(run.id.count == 8 && run.id.allSatisfy { $0.isLowercase || $0.isNumber })
        #expect(throws: StoreError.runExists(id: run.id)) {
            try fixture.store.startRun(project: "proj", id: run.id)
        }
        #expect(throws: StoreError.runNotFound(id: "nope")) {
            try fixture.store.startRun(project: "proj", id: "nope", resume: .must)
        }
        try run.finish()
        let reopened = try fixture.store.startRun(project: "proj", id: run.id, resume: .allow)
        #expect(reopened.record.state == .running)
    }

    @Test func bestRunOfASweepByMaxOrMinSkippingRunsWithoutTheMetric() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        for (name, accuracy) in [("a", 0.7), ("b", 0.9), ("c", 0.8)] {
            try store.startRun(project: "proj", name: name, sweep: "s1").finish(summary: ["val_acc": .double(accuracy)])
        }
        try store.startRun(project: "proj", name: "no-metric", sweep: "s1").finish()
        try store.startRun(project: "proj", name: "other", sweep: "s2").finish(summary: ["val_acc": .double(1)])
        #expect(try store.bestRun(project: "proj", sweep: "s1", metric: "val_acc").name == "b")
        #expect(try store.bestRun(project: "proj", sweep: "s1", metric: "val_acc", minimize: true).name == "a")
        #expect(throws: StoreError.self) { try store.bestRun(project: "proj", sweep: "s1", metric: "loss") }
    }
}
