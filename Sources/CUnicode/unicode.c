#include "CUnicode.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucasemap.h>
#include <unicode/uregex.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

struct decant_regex {
  URegularExpression *re;
  /// The text being searched, reopened on the caller's bytes for each text.
  UText text;
  /// The error of the last call that failed.
  UErrorCode status;
};

static const uint8_t empty_text[1] = {0};

static const char *regex_error_text(UErrorCode status) {
  switch (status) {
  case U_REGEX_RULE_SYNTAX: return "syntax error";
  case U_REGEX_BAD_ESCAPE_SEQUENCE: return "unknown backslash escape";
  case U_REGEX_PROPERTY_SYNTAX: return "bad Unicode property (\\p{...})";
  case U_REGEX_UNIMPLEMENTED: return "a feature ICU does not implement";
  case U_REGEX_MISMATCHED_PAREN: return "unbalanced parentheses";
  case U_REGEX_NUMBER_TOO_BIG: return "number too large";
  case U_REGEX_BAD_INTERVAL: return "bad {min,max} repetition";
  case U_REGEX_MAX_LT_MIN: return "{min,max} repetition with max less than min";
  case U_REGEX_INVALID_BACK_REF: return "back reference to a group that does not exist";
  case U_REGEX_INVALID_FLAG: return "bad flag in (?...)";
  case U_REGEX_LOOK_BEHIND_LIMIT: return "look-behind without a bounded length";
  case U_REGEX_SET_CONTAINS_STRING: return "character class containing a string";
  case U_REGEX_MISSING_CLOSE_BRACKET: return "missing ] to close a character class";
  case U_REGEX_INVALID_RANGE: return "character range [x-y] with x after y";
  case U_REGEX_STACK_OVERFLOW: return "backtracking stack overflow";
  case U_REGEX_TIME_OUT: return "time limit exceeded";
  case U_REGEX_PATTERN_TOO_BIG: return "pattern too large or complex";
  case U_REGEX_INVALID_CAPTURE_GROUP_NAME: return "bad capture group name";
  case U_MEMORY_ALLOCATION_ERROR: return "out of memory";
  case U_INDEX_OUTOFBOUNDS_ERROR: return "index out of range";
  default: return u_errorName(status);
  }
}

/// The code point index of ICU's (line, column) error position: ICU counts
/// lines from 1 and, on each line, the code points read so far, a line
/// starting after CR, LF (not after CR), NEL or LS.
static int32_t error_offset(const uint8_t *pattern, int32_t len, const UParseError *pe) {
  if (pe->line <= 0 || pe->offset < 0) return -1;
  int32_t line = 1, column = 0, index = 0, i = 0;
  UChar32 last = 0;
  if (line == pe->line && column == pe->offset) return 0;
  while (i < len) {
    UChar32 c;
    U8_NEXT(pattern, i, len, c);
    if (c == 0x0D || c == 0x85 || c == 0x2028 || (c == 0x0A && last != 0x0D)) {
      line++;
      column = 0;
    } else if (c != 0x0A) {
      column++;
    }
    last = c;
    if (line == pe->line && column == pe->offset) return index;
    index++;
  }
  return index;
}

decant_regex *decant_regex_open(const uint8_t *pattern, int32_t len, uint32_t flags, int32_t *errorOffset,
                                char *errorText, int32_t errorTextSize) {
  *errorOffset = -1;
  if (errorTextSize > 0) errorText[0] = 0;
  decant_regex *regex = calloc(1, sizeof *regex);
  if (regex == NULL) {
    if (errorTextSize > 0) snprintf(errorText, (size_t)errorTextSize, "%s", "out of memory");
    return NULL;
  }
  UText initial = UTEXT_INITIALIZER;
  regex->text = initial;

  UErrorCode status = U_ZERO_ERROR;
  UText source = UTEXT_INITIALIZER;
  uint32_t icuFlags = ((flags & DECANT_REGEX_CASE_INSENSITIVE) ? UREGEX_CASE_INSENSITIVE : 0) |
                      ((flags & DECANT_REGEX_LITERAL) ? UREGEX_LITERAL : 0);
  if (len > 0) {
    utext_openUTF8(&source, (const char *)pattern, len, &status);
  } else {
    // ICU refuses an empty pattern; an empty group matches the same (empty, everywhere).
    utext_openUTF8(&source, "(?:)", 4, &status);
    icuFlags &= ~(uint32_t)UREGEX_LITERAL;
  }
  UParseError pe = {0};
  pe.line = -1;
  pe.offset = -1;
  // ICU copies the pattern: `source` need not outlive the compiled form.
  regex->re = uregex_openUText(&source, icuFlags, &pe, &status);
  utext_close(&source);
  if (U_FAILURE(status)) {
    if (regex->re != NULL) uregex_close(regex->re);
    free(regex);
    *errorOffset = error_offset(pattern, len, &pe);
    if (errorTextSize > 0) snprintf(errorText, (size_t)errorTextSize, "%s", regex_error_text(status));
    return NULL;
  }
  return regex;
}

/// Steps of ICU's match engine (each about a millisecond) one search may take.
enum { DECANT_REGEX_TIME_LIMIT = 1000 };

decant_regex *decant_regex_clone(const decant_regex *regex) {
  decant_regex *copy = calloc(1, sizeof *copy);
  if (copy == NULL) return NULL;
  UText initial = UTEXT_INITIALIZER;
  copy->text = initial;
  UErrorCode status = U_ZERO_ERROR;
  copy->re = uregex_clone(regex->re, &status);
  if (U_FAILURE(status)) {
    if (copy->re != NULL) uregex_close(copy->re);
    free(copy);
    return NULL;
  }
  // A search that runs away (catastrophic backtracking, or ICU looping on a lazily
  // repeated group that can match nothing, such as `(a*)+?`) stops with
  // U_REGEX_TIME_OUT after about a second of matching, and the value is a value error.
  uregex_setTimeLimit(copy->re, DECANT_REGEX_TIME_LIMIT, &status);
  return copy;
}

void decant_regex_close(decant_regex *regex) {
  if (regex == NULL) return;
  uregex_close(regex->re);
  utext_close(&regex->text);
  free(regex);
}

int32_t decant_regex_group_count(const decant_regex *regex) {
  UErrorCode status = U_ZERO_ERROR;
  // uregex_groupCount does not change the expression; ICU's C API just lacks the const.
  int32_t n = uregex_groupCount((URegularExpression *)regex->re, &status);
  return U_SUCCESS(status) ? n : 0;
}

static int result(decant_regex *regex, UBool found, UErrorCode status) {
  if (U_FAILURE(status)) {
    regex->status = status;
    return -1;
  }
  return found ? 1 : 0;
}

int decant_regex_set_text(decant_regex *regex, const uint8_t *bytes, int64_t len) {
  UErrorCode status = U_ZERO_ERROR;
  utext_openUTF8(&regex->text, len > 0 ? (const char *)bytes : (const char *)empty_text, len, &status);
  uregex_setUText(regex->re, &regex->text, &status);
  return result(regex, 0, status);
}

int decant_regex_find(decant_regex *regex, int64_t start) {
  UErrorCode status = U_ZERO_ERROR;
  UBool found = uregex_find64(regex->re, start, &status);
  return result(regex, found, status);
}

int decant_regex_find_next(decant_regex *regex) {
  UErrorCode status = U_ZERO_ERROR;
  UBool found = uregex_findNext(regex->re, &status);
  return result(regex, found, status);
}

int decant_regex_matches(decant_regex *regex) {
  UErrorCode status = U_ZERO_ERROR;
  UBool found = uregex_matches64(regex->re, 0, &status);
  return result(regex, found, status);
}

int decant_regex_group_range(decant_regex *regex, int32_t group, int64_t *start, int64_t *end) {
  UErrorCode status = U_ZERO_ERROR;
  *start = uregex_start64(regex->re, group, &status);
  *end = uregex_end64(regex->re, group, &status);
  if (U_FAILURE(status)) {
    *start = -1;
    *end = -1;
    regex->status = status;
    return -1;
  }
  return 0;
}

const char *decant_regex_error(const decant_regex *regex) { return regex_error_text(regex->status); }

// One case map for the root locale (no language rules), opened once; ICU's
// UTF-8 case functions only read it, so all threads share it.
static UCaseMap *root_case_map;
static pthread_once_t root_case_map_once = PTHREAD_ONCE_INIT;

static void open_root_case_map(void) {
  UErrorCode status = U_ZERO_ERROR;
  // "" is the root locale (NULL would be the process's default locale).
  root_case_map = ucasemap_open("", U_FOLD_CASE_DEFAULT, &status);
  if (U_FAILURE(status)) root_case_map = NULL;
}

typedef int32_t (*case_function)(const UCaseMap *, char *, int32_t, const char *, int32_t, UErrorCode *);

static int32_t map_case(case_function f, const uint8_t *src, int32_t len, uint8_t *dest, int32_t capacity) {
  pthread_once(&root_case_map_once, open_root_case_map);
  if (root_case_map == NULL) return -1;
  if (len == 0) return 0;
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = f(root_case_map, (char *)dest, capacity, (const char *)src, len, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) return n;
  return U_FAILURE(status) ? -1 : n;
}

int32_t decant_case_upper(const uint8_t *src, int32_t len, uint8_t *dest, int32_t capacity) {
  return map_case(ucasemap_utf8ToUpper, src, len, dest, capacity);
}

int32_t decant_case_lower(const uint8_t *src, int32_t len, uint8_t *dest, int32_t capacity) {
  return map_case(ucasemap_utf8ToLower, src, len, dest, capacity);
}

int32_t decant_case_fold(const uint8_t *src, int32_t len, uint8_t *dest, int32_t capacity) {
  return map_case(ucasemap_utf8FoldCase, src, len, dest, capacity);
}
