/// The dark theme, built in so the browser opens even when no `Themes/` directory is found.
/// Keep in step with `Themes/dark.theme`.
public enum BuiltInTheme {
    public static let darkText = """
# arttui theme "dark": the default, for dark terminal backgrounds.
#
# Format, one style role a line (blank lines and text after # are ignored):
#
#   role = FOREGROUND [BACKGROUND] [ATTRIBUTE ...]
#
# Colours: default (the terminal's own), black, red, green, yellow, blue, magenta, cyan,
# white, bright-black ... bright-white, or a number 0-255. Numbers above 7 are shown as the
# nearest of the eight basic colours on 8-colour terminals; truecolor is never needed.
# Attributes: bold, reverse, underline, dim.
# Roles: normal dim header headerFocus border borderFocus title group selected
# selectedInactive badge badgeLatest match status success danger warning key dialog
# dialogBorder buttonFocus input spinner nodeRun nodeVersion edge edgeFocus. Unlisted roles are plain.
# With NO_COLOR set or --color never, themes are ignored: bold and reverse only.

normal           = default
dim              = 245
header           = 252 236
headerFocus      = black 75 bold
border           = 240
borderFocus      = 75
title            = 110 bold
group            = 179 bold
selected         = black 75
selectedInactive = 252 238
badge            = 180
badgeLatest      = 114 bold
match            = 229 bold underline
status           = 252 236
success          = 114 236 bold
danger           = 203 236 bold
warning          = 221
key              = 75 bold
dialog           = 252 235
dialogBorder     = 75 235 bold
buttonFocus      = black 75 bold
input            = 231 238
spinner          = 221 236
nodeRun          = 180
nodeVersion      = 110
edge             = 243
edgeFocus        = 215 bold
"""
}
