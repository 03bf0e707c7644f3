/* cli_json.c - a minimal streaming JSON writer for --json output. */
#include <string.h>

#include "cli.h"

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void json_key(cli_json *j, const char *key)
{
    if (!j->first[j->depth])
        fputc(',', j->out);
    j->first[j->depth] = 0;
    if (key != NULL) {
        json_string(j->out, key);
        fputc(':', j->out);
    }
}

static void json_open(cli_json *j, const char *key, char c)
{
    json_key(j, key);
    fputc(c, j->out);
    if (j->depth < 15)
        j->depth++;
    j->first[j->depth] = 1;
}

static void json_close(cli_json *j, char c)
{
    fputc(c, j->out);
    if (j->depth > 0)
        j->depth--;
}

void cli_json_begin(cli_json *j, FILE *out)
{
    memset(j, 0, sizeof(*j));
    j->out = out;
    fputc('{', out);
    j->first[0] = 1;
}

void cli_json_end(cli_json *j)
{
    fputs("}\n", j->out);
    fflush(j->out);
}

void cli_json_str(cli_json *j, const char *key, const char *value)
{
    json_key(j, key);
    if (value == NULL)
        fputs("null", j->out);
    else
        json_string(j->out, value);
}

void cli_json_int(cli_json *j, const char *key, long long value)
{
    json_key(j, key);
    fprintf(j->out, "%lld", value);
}

void cli_json_num(cli_json *j, const char *key, double value)
{
    json_key(j, key);
    fprintf(j->out, "%.3f", value);
}

void cli_json_bool(cli_json *j, const char *key, int value)
{
    json_key(j, key);
    fputs(value ? "true" : "false", j->out);
}

void cli_json_obj_begin(cli_json *j, const char *key) { json_open(j, key, '{'); }
void cli_json_obj_end(cli_json *j) { json_close(j, '}'); }
void cli_json_arr_begin(cli_json *j, const char *key) { json_open(j, key, '['); }
void cli_json_arr_end(cli_json *j) { json_close(j, ']'); }

void cli_json_error(cli_json *j, const scpauth_error *err)
{
    cli_json_obj_begin(j, "error");
    cli_json_str(j, "code", scpauth_err_name(err->code));
    cli_json_str(j, "message", err->message[0] ? err->message : scpauth_strerror(err->code));
    cli_json_str(j, "hint", err->hint);
    cli_json_int(j, "native_major", (long long)err->native_major);
    cli_json_int(j, "native_minor", (long long)err->native_minor);
    cli_json_obj_end(j);
}
