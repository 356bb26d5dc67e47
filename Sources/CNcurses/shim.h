#ifndef DECANT_CNCURSES_SHIM_H
#define DECANT_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/ncurses.h>

// Swift 6 cannot touch C globals or function-like macros; these wrappers reach them.
static inline WINDOW *decant_stdscr(void) { return stdscr; }
static inline int decant_lines(void) { return LINES; }
static inline int decant_cols(void) { return COLS; }
static inline int decant_colors(void) { return COLORS; }
static inline int decant_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int decant_attr_bold(void) { return (int)A_BOLD; }
static inline int decant_attr_reverse(void) { return (int)A_REVERSE; }
static inline int decant_attr_dim(void) { return (int)A_DIM; }
static inline int decant_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int decant_key_resize(void) { return KEY_RESIZE; }
static inline int decant_key_up(void) { return KEY_UP; }
static inline int decant_key_down(void) { return KEY_DOWN; }
static inline int decant_key_left(void) { return KEY_LEFT; }
static inline int decant_key_right(void) { return KEY_RIGHT; }
static inline int decant_key_npage(void) { return KEY_NPAGE; }
static inline int decant_key_ppage(void) { return KEY_PPAGE; }
static inline int decant_key_home(void) { return KEY_HOME; }
static inline int decant_key_end(void) { return KEY_END; }
static inline void decant_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline int decant_setlocale_all(void) { return setlocale(LC_ALL, "") != NULL; }

#endif
