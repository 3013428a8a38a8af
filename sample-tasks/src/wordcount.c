/*
 * wordcount: counts the words, lines and characters of a text.
 *
 * Payload: {"text":"the quick brown fox\njumps"}
 * Result:  {"words":5,"lines":2,"chars":25,"longest":"quick"}
 * stdout:  one summary line.
 *
 * Definitions:
 *   words   maximal runs of bytes that are not ASCII whitespace
 *           (space, \t, \n, \v, \f, \r); other Unicode spaces are word bytes.
 *   lines   the number of '\n', plus one if the text is non-empty and does
 *           not end in '\n' (so "a\nb" and "a\nb\n" both have 2 lines).
 *   chars   Unicode code points, not bytes ("héllo" has 5).
 *   longest the first word with the most code points; "" if there are none.
 */
#include <stdbool.h>

#include "task.h"

static bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* A byte starts a code point unless it is a UTF-8 continuation byte. */
static bool starts_code_point(unsigned char c) { return (c & 0xC0) != 0x80; }

static void count(const char *payload, size_t len) {
    char *text;
    size_t n;
    if (task_json_get_string(payload, len, "text", &text, &n) != TASK_JSON_OK) {
        task_fail(2, "wordcount: payload needs a \"text\" string, e.g. {\"text\":\"hello world\"}");
    }

    uint64_t words = 0, lines = 0, chars = 0;
    size_t longest_at = 0, longest_bytes = 0;
    uint64_t longest_chars = 0;
    size_t word_at = 0;
    uint64_t word_chars = 0;
    bool in_word = false;

    for (size_t i = 0; i <= n; i++) {
        /* i == n is a virtual space that closes the last word. */
        unsigned char c = i < n ? (unsigned char)text[i] : ' ';
        if (i < n && starts_code_point(c)) chars++;
        if (c == '\n' && i < n) lines++;
        if (!is_space(c)) {
            if (!in_word) {
                in_word = true;
                word_at = i;
                word_chars = 0;
                words++;
            }
            if (starts_code_point(c)) word_chars++;
        } else if (in_word) {
            in_word = false;
            if (word_chars > longest_chars) {
                longest_chars = word_chars;
                longest_at = word_at;
                longest_bytes = i - word_at;
            }
        }
    }
    if (n > 0 && text[n - 1] != '\n') lines++;

    printf("wordcount: %llu words, %llu lines, %llu chars\n", (unsigned long long)words,
           (unsigned long long)lines, (unsigned long long)chars);
    task_return_fmt("{\"words\":%llu,\"lines\":%llu,\"chars\":%llu,\"longest\":\"%s\"}",
                    (unsigned long long)words, (unsigned long long)lines,
                    (unsigned long long)chars,
                    task_json_escape(text + longest_at, longest_bytes));
}

TASK_MAIN(count);
