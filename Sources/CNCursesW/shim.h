// The wide-character ncurses API for Swift.
//
// SwiftPM drops the -D flags pkg-config would give, so the feature macros are set here, before
// curses.h, or wget_wch/cchar_t and wcwidth are missing. Swift does not import function-like or
// cast macros, nor mutable C globals in Swift 6 mode: the wrappers below stand in for them.
#ifndef ARTTUI_CNCURSESW_SHIM_H
#define ARTTUI_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline attr_t arttui_a_normal(void) { return A_NORMAL; }
static inline attr_t arttui_a_bold(void) { return A_BOLD; }
static inline attr_t arttui_a_reverse(void) { return A_REVERSE; }
static inline attr_t arttui_a_underline(void) { return A_UNDERLINE; }
static inline attr_t arttui_a_dim(void) { return A_DIM; }

static inline int arttui_colors(void) { return COLORS; }
static inline int arttui_color_pairs(void) { return COLOR_PAIRS; }
static inline int arttui_key_f(int n) { return KEY_F(n); }

static inline int arttui_width(WINDOW *win) { return getmaxx(win); }
static inline int arttui_height(WINDOW *win) { return getmaxy(win); }

static inline mmask_t arttui_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t arttui_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED; }
static inline mmask_t arttui_button4_pressed(void) { return BUTTON4_PRESSED; }
#if defined(BUTTON5_PRESSED)
static inline mmask_t arttui_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t arttui_button5_pressed(void) { return 0; }
#endif

/// Sets attributes and colour pair in one call (wattr_set's pair is a short).
static inline int arttui_set_style(WINDOW *win, attr_t attrs, int pair) {
    return wattr_set(win, attrs, (short)pair, NULL);
}

/// Whether the terminal description has cursor addressing (`cup`); call after setupterm.
static inline int arttui_has_cursor_addressing(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

static inline int arttui_wcwidth(wchar_t c) { return wcwidth(c); }

/// Key codes ncurses reports for sequences it does not know by itself (define_key): the start
/// and end of a bracketed paste, and Ctrl-Enter as xterm (modifyOtherKeys) and CSI u send it.
/// Home and End also come in the forms tmux, screen and rxvt send whatever TERM says, which
/// would otherwise arrive as Esc followed by text.
#define ARTTUI_KEY_PASTE_START 01001
#define ARTTUI_KEY_PASTE_END 01002
#define ARTTUI_KEY_CTRL_ENTER 01003

static inline void arttui_define_keys(void) {
    define_key("\033[200~", ARTTUI_KEY_PASTE_START);
    define_key("\033[201~", ARTTUI_KEY_PASTE_END);
    define_key("\033[13;5u", ARTTUI_KEY_CTRL_ENTER);
    define_key("\033[27;5;13~", ARTTUI_KEY_CTRL_ENTER);
    const char *home[] = { "\033[1~", "\033[7~", "\033[H", "\033OH" };
    const char *end[] = { "\033[4~", "\033[8~", "\033[F", "\033OF" };
    for (int i = 0; i < 4; i++) {
        if (key_defined(home[i]) <= 0) define_key(home[i], KEY_HOME);
        if (key_defined(end[i]) <= 0) define_key(end[i], KEY_END);
    }
}

#endif
