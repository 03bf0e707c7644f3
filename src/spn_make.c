/* spn_make.c - DsMakeSpn: compose "class/host[:port][/service-name]". */
#include <stdio.h>
#include <string.h>

#include "spn_internal.h"

#define SHOW SCPAUTH__SPN_SHOW

/* Checks the inputs and picks the host and the last part (NULL if none). */
static int make_plan(const char *service_class, const char *service_name,
                     const char *instance_name, const char *referrer, const char **host,
                     const char **tail, scpauth_error *err)
{
    int rc = scpauth__spn_check_class(service_class, strlen(service_class), err);
    if (rc != SCPAUTH_OK)
        return rc;
    size_t name_len = strlen(service_name);
    /* The referrer replaces the service name only when that is an IP address. */
    int use_referrer = referrer != NULL && scpauth__spn_is_ipv4(service_name, name_len);
    *host = instance_name != NULL ? instance_name : service_name;
    *tail = use_referrer ? referrer : instance_name != NULL ? service_name : NULL;
    rc = scpauth__spn_check_host(instance_name != NULL ? "instance name (host)"
                                                       : "service name (host)",
                                 *host, strlen(*host), err);
    if (rc != SCPAUTH_OK || *tail == NULL)
        return rc;
    if (use_referrer)
        return scpauth__spn_check_host("referrer", referrer, strlen(referrer), err);
    return scpauth__spn_check_service_name("service name", service_name, name_len, err);
}

int scpauth_spn_make(const char *service_class, const char *service_name,
                     const char *instance_name, unsigned port, const char *referrer, char *spn,
                     size_t *spn_size, scpauth_error *err)
{
    if (service_class == NULL || service_name == NULL || spn_size == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "cannot make an SPN: %s is NULL",
                                  service_class == NULL  ? "the service class"
                                  : service_name == NULL ? "the service name"
                                                         : "the size pointer");
    if (port > 65535)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "cannot make an SPN: port %u is over 65535 (0 = no port)",
                                  port);
    const char *host, *tail;
    int rc = make_plan(service_class, service_name, instance_name, referrer, &host, &tail, err);
    if (rc != SCPAUTH_OK) {
        scpauth__error_prefix(err, "cannot make an SPN of class \"%.*s%s\"",
                              SHOW(service_class, strlen(service_class)));
        return rc;
    }
    char port_text[8] = "";
    if (port != 0)
        snprintf(port_text, sizeof(port_text), ":%u", port);
    size_t class_len = strlen(service_class), host_len = strlen(host);
    size_t port_len = strlen(port_text), tail_len = tail != NULL ? strlen(tail) : 0;
    /* Lengths of strings held in memory: their sum cannot overflow. */
    size_t len = class_len + 1 + host_len + port_len + (tail != NULL ? 1 + tail_len : 0);
    if (len > SCPAUTH_SPN_MAX)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                  "cannot make an SPN of class \"%.*s%s\" for host \"%.*s%s\": "
                                  "it would be %lu characters, over the limit of %d",
                                  SHOW(service_class, class_len), SHOW(host, host_len),
                                  (unsigned long)len, SCPAUTH_SPN_MAX);
    if (spn == NULL || *spn_size < len + 1) {
        size_t have = spn == NULL ? 0 : *spn_size;
        *spn_size = len + 1;
        return scpauth__error_set(err, SCPAUTH_ENOBUFS,
                                  "SPN of class \"%.*s%s\" for host \"%.*s%s\" needs %lu bytes, "
                                  "the buffer has %lu",
                                  SHOW(service_class, class_len), SHOW(host, host_len),
                                  (unsigned long)(len + 1), (unsigned long)have);
    }
    char *w = spn;
    memcpy(w, service_class, class_len);
    w += class_len;
    *w++ = '/';
    memcpy(w, host, host_len);
    w += host_len;
    memcpy(w, port_text, port_len);
    w += port_len;
    if (tail != NULL) {
        *w++ = '/';
        memcpy(w, tail, tail_len);
        w += tail_len;
    }
    *w = '\0';
    *spn_size = len + 1;
    return SCPAUTH_OK;
}
