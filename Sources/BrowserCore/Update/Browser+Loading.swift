/// Loads exactly what is on screen and not loaded yet: projects, the selected project's
/// artifacts, the count and visible pages of the selected artifact, the selected version's files.
extension Browser {
    static func requestVisibleData(_ state: inout BrowserState) -> [Effect] {
        var effects: [Effect] = []
        let generation = state.generation
        defer { state.loadsInFlight += effects.count }
        if !state.projectsRequested {
            state.projectsRequested = true
            effects.append(.loadProjects(generation: generation))
        }
        let layout = ScreenLayout(size: state.size)
        guard !layout.isTooSmall, state.modal?.isFullScreen != true else { return effects }
        let shown = Set(layout.shownPanes(focus: state.focus))

        if let project = state.selectedProject?.name, !state.artifactsRequested.contains(project),
            shown.contains(.artifacts) || state.focus.rawValue >= Pane.artifacts.rawValue
        {
            state.artifactsRequested.insert(project)
            effects.append(.loadArtifacts(project: project, generation: generation))
        }

        guard let key = state.selectedArtifactKey,
            shown.contains(.versions) || state.focus.rawValue >= Pane.versions.rawValue
        else { return effects }
        var list = state.versionLists[key] ?? VersionList()
        defer { state.versionLists[key] = list }
        if !list.countRequested {
            list.countRequested = true
            effects.append(.loadVersionCount(key, generation: generation))
        }
        guard let count = list.count, state.activeNeedle(.versions) == nil else {
            return effects + requestFiles(&state, shown: shown)
        }
        let position = state.position(.versions)
        var rows = shown.contains(.versions) ? position.visibleRange(count: count, height: layout.listHeight) : 0..<0
        if rows.isEmpty, position.cursor < count { rows = position.cursor..<(position.cursor + 1) }
        if !rows.isEmpty {
            let pages = (rows.lowerBound / VersionList.pageSize)...((rows.upperBound - 1) / VersionList.pageSize)
            for page in pages where list.pages[page] == nil && !list.requestedPages.contains(page) {
                list.requestedPages.insert(page)
                effects.append(.loadVersionPage(key, page: page, generation: generation))
            }
        }
        return effects + requestFiles(&state, shown: shown)
    }

    /// The selected version's first page of files, and the next page once scrolled to the end.
    private static func requestFiles(_ state: inout BrowserState, shown: Set<Pane>) -> [Effect] {
        guard shown.contains(.detail), let version = state.selectedVersion else { return [] }
        var list = state.fileLists[version.id] ?? FileList()
        guard !list.loading, !list.complete else { return [] }
        let scrolledToEnd = state.detailScroll + ScreenLayout(size: state.size).detailHeight * 2 >= list.files.count
        guard state.fileLists[version.id] == nil || (state.focus == .detail && scrolledToEnd) else { return [] }
        list.loading = true
        state.fileLists[version.id] = list
        state.loadsInFlight += 1
        return [.loadFiles(versionID: version.id, offset: list.files.count, generation: state.generation)]
    }

}
