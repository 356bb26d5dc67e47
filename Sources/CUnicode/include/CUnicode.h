#ifndef DECANT_CUNICODE_H
#define DECANT_CUNICODE_H

#include <stdint.h>

// The system ICU's regular expressions and case mapping on UTF-8, behind names
// without ICU's version suffix. Every text given here must be valid UTF-8: the
// callers validate it first.

/// A compiled regular expression together with the text it searches. One is
/// compiled from the pattern and never searches; each thread that matches uses
/// its own clone of it.
typedef struct decant_regex decant_regex;

/// `decant_regex_open` flag: case-insensitive matching (ICU's: literal strings
/// of the pattern match by full case folding, character classes and single
/// characters by simple folding).
#define DECANT_REGEX_CASE_INSENSITIVE 1u
/// `decant_regex_open` flag: the pattern is literal text, no character is special.
#define DECANT_REGEX_LITERAL 2u

/// Compiles `len` bytes of UTF-8 `pattern`. On failure returns NULL, sets
/// `*errorOffset` to the position (0-based, in code points) where ICU noticed
/// the error or -1 when unknown, and writes a NUL-terminated description of
/// the error into `errorText` (at most `errorTextSize` bytes).
decant_regex *decant_regex_open(const uint8_t *pattern, int32_t len, uint32_t flags, int32_t *errorOffset,
                                char *errorText, int32_t errorTextSize);

/// A new matcher sharing `regex`'s compiled pattern (safe to call from several
/// threads on the same `regex`); NULL when out of memory.
decant_regex *decant_regex_clone(const decant_regex *regex);

void decant_regex_close(decant_regex *regex);

/// The number of capturing groups of the pattern.
int32_t decant_regex_group_count(const decant_regex *regex);

/// Sets the UTF-8 text later calls search; the bytes must stay in place until
/// the next call. Allocates nothing once the matcher has seen a first text.
/// Returns 0, or -1 on failure.
int decant_regex_set_text(decant_regex *regex, const uint8_t *bytes, int64_t len);

/// Searches from byte offset `start`: 1 when found, 0 when not, -1 on failure
/// (ICU's backtracking stack overflowed, or `start` is out of range).
int decant_regex_find(decant_regex *regex, int64_t start);

/// Searches on from the end of the previous match (one code point further
/// after an empty match): 1, 0 or -1 as `decant_regex_find`.
int decant_regex_find_next(decant_regex *regex);

/// Whether the whole text matches: 1, 0 or -1 as `decant_regex_find`.
int decant_regex_matches(decant_regex *regex);

/// The byte range of `group` (0: the whole match) in the last match; both -1
/// when the group took no part in it. Returns 0, or -1 on failure (no match, no
/// such group).
int decant_regex_group_range(decant_regex *regex, int32_t group, int64_t *start, int64_t *end);

/// A description of the error of the last call that returned -1 on `regex`.
const char *decant_regex_error(const decant_regex *regex);

/// Case mapping of `len` bytes of UTF-8 into `dest` (room for `capacity`
/// bytes) with Unicode's full mappings and no language rules. Each returns the
/// length of the result, which was written only when it is at most `capacity`
/// (otherwise call again with that much room), or -1 on failure.
/// Upper case (`ß` → `SS`).
int32_t decant_case_upper(const uint8_t *src, int32_t len, uint8_t *dest, int32_t capacity);
/// Lower case, with the Final_Sigma rule (`ΟΔΟΣ` → `οδος`).
int32_t decant_case_lower(const uint8_t *src, int32_t len, uint8_t *dest, int32_t capacity);
/// Full case folding (`ß` → `ss`), for comparisons that ignore case.
int32_t decant_case_fold(const uint8_t *src, int32_t len, uint8_t *dest, int32_t capacity);

#endif
