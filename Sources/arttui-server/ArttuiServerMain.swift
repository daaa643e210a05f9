import ArgumentParser
import ArttuiServer

/// The executable's entry point: the server's root command, run asynchronously.
@main
extension ServerCommand {}
