/* cmd_spn_text.c - the offline subcommands: make, crack and get, through
 * the portable SPN text API (scpauth/spn.h). */
#include <stdio.h>
#include <string.h>

#include "cmd_spn.h"

static int want_args(const spn_opts *o, size_t min, size_t max, const char *what)
{
    if (o->n_pos < min || o->n_pos > max)
        return cli_usage_error(o->verb, "expected %s", what);
    return CLI_EXIT_OK;
}

int cli_spn_make(const spn_opts *o)
{
    int rc = want_args(o, 2, 2, "CLASS SERVICE-NAME");
    if (rc != CLI_EXIT_OK)
        return rc;
    if (o->n_instances > 1)
        return cli_usage_error(o->verb, "one --instance at most");
    char spn[SCPAUTH_SPN_MAX + 1];
    size_t size = sizeof(spn);
    scpauth_error err;
    scpauth_error_clear(&err);
    if (scpauth_spn_make(o->pos[0], o->pos[1], o->instance, (unsigned)o->port, o->referrer, spn,
                         &size, &err) != SCPAUTH_OK)
        return cli_spn_fail(o, &err);
    if (o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_json_str(&j, "spn", spn);
        cli_json_end(&j);
    } else {
        printf("%s\n", spn);
    }
    return CLI_EXIT_OK;
}

/* A part as a NUL-terminated string in buf; NULL when absent. */
static const char *part_text(scpauth_spn_part p, char *buf, size_t size)
{
    if (p.len == 0)
        return NULL;
    size_t n = p.len < size ? p.len : size - 1;
    memcpy(buf, p.ptr, n);
    buf[n] = '\0';
    return buf;
}

int cli_spn_crack(const spn_opts *o)
{
    int rc = want_args(o, 1, 1, "one SPN");
    if (rc != CLI_EXIT_OK)
        return rc;
    const char *spn = o->pos[0];
    scpauth_spn_parts p;
    scpauth_error err;
    scpauth_error_clear(&err);
    if (scpauth_spn_crack(spn, strlen(spn), &p, &err) != SCPAUTH_OK)
        return cli_spn_fail(o, &err);
    static char bufs[5][SCPAUTH_SPN_MAX + 1];
    const struct {
        const char *key, *label, *value;
    } rows[] = {
        {"class", "class:", part_text(p.service_class, bufs[0], sizeof(bufs[0]))},
        {"host", "host:", part_text(p.host, bufs[1], sizeof(bufs[1]))},
        {"instance_name", "instance name:", part_text(p.instancename, bufs[2], sizeof(bufs[2]))},
        {"service_name", "service name:", part_text(p.service_name, bufs[3], sizeof(bufs[3]))},
        {"realm", "realm:", part_text(p.realm, bufs[4], sizeof(bufs[4]))},
    };
    if (o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_json_str(&j, "spn", spn);
        for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
            cli_json_str(&j, rows[k].key, rows[k].value);
            if (k == 1) {
                if (p.port)
                    cli_json_int(&j, "port", p.port);
                else
                    cli_json_str(&j, "port", NULL);
            }
        }
        cli_json_end(&j);
        return CLI_EXIT_OK;
    }
    printf("spn:           %s\n", spn);
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        printf("%-14s %s\n", rows[k].label, rows[k].value ? rows[k].value : "-");
        if (k == 1) {
            if (p.port)
                printf("port:          %u\n", p.port);
            else
                printf("port:          -\n");
        }
    }
    return CLI_EXIT_OK;
}

int cli_spn_get(const spn_opts *o)
{
    int rc = want_args(o, 1, 1, "--type TYPE CLASS");
    if (rc != CLI_EXIT_OK)
        return rc;
    if (o->type == NULL)
        return cli_usage_error(o->verb, "--type TYPE is required (dns-host, dn-host, nb-host, "
                                        "domain, nb-domain, service)");
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_spn_type type;
    scpauth_spn_list list = SCPAUTH_SPN_LIST_INIT;
    if (scpauth_spn_type_from_name(o->type, &type, &err) != SCPAUTH_OK ||
        scpauth_spn_get(type, o->pos[0], o->service_name, (unsigned)o->port, o->n_instances,
                        o->instances, o->instances_have_ports ? o->instance_ports : NULL, &list,
                        &err) != SCPAUTH_OK)
        return cli_spn_fail(o, &err);
    if (o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_json_str(&j, "type", scpauth_spn_type_name(type));
        cli_json_arr_begin(&j, "spns");
        for (size_t i = 0; i < list.count; i++)
            cli_json_str(&j, NULL, list.items[i]);
        cli_json_arr_end(&j);
        cli_json_end(&j);
    } else {
        for (size_t i = 0; i < list.count; i++)
            printf("%s\n", list.items[i]);
    }
    scpauth_spn_list_free(&list);
    return CLI_EXIT_OK;
}
