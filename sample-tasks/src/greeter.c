/*
 * greeter: the smallest useful task, and the one the quick start runs.
 *
 * Payload: {"name":"Ada"}   ("name" is optional and defaults to "world")
 * Result:  {"greeting":"Hello, Ada!"}
 * stdout:  Hello, Ada!
 * stderr:  greeter: greeted 1 name
 */
#include "task.h"

static void greet(const char *payload, size_t len) {
    const char *name = "world";
    size_t name_len = strlen(name);
    char *given;
    size_t given_len;
    int rc = task_json_get_string(payload, len, "name", &given, &given_len);
    if (rc == TASK_JSON_OK) {
        name = given;
        name_len = given_len;
    } else if (rc == TASK_JSON_SYNTAX) {
        task_fail(2, "greeter: payload is not a JSON object, e.g. {\"name\":\"Ada\"}");
    } else if (rc == TASK_JSON_TYPE) {
        task_fail(2, "greeter: \"name\" must be a string, e.g. {\"name\":\"Ada\"}");
    }

    /* Written with fwrite, not %s, so a name holding \u0000 is not cut short. */
    fputs("Hello, ", stdout);
    fwrite(name, 1, name_len, stdout);
    fputs("!\n", stdout);
    fprintf(stderr, "greeter: greeted 1 name\n");

    task_return_fmt("{\"greeting\":\"Hello, %s!\"}", task_json_escape(name, name_len));
}

TASK_MAIN(greet);
