import ArttuiCLI

Arttui.run()
