/* A small milter built on Sendmail's libmilter (Debian libmilter-dev), used as a real peer by
 * the tests and the demo. It implements every callback, so it negotiates no NO_* step flags
 * unless asked to.
 *
 * Usage: testmilter SPEC [option...]
 *   --add-header NAME:VALUE   add this header at end-of-message (repeatable)
 *   --reject-subject TEXT     reject (550 5.7.1) a message whose Subject contains TEXT
 *   --tempfail-subject TEXT   tempfail (451 4.7.1) a message whose Subject contains TEXT
 *   --reject-recipient TEXT   reject (550 5.1.1) a recipient containing TEXT
 *   --symlist                 ask for {client_addr} and j at connect, i at end-of-message
 *   --accept                  answer accept at end-of-message (default), or
 *   --continue                answer continue at end-of-message
 *   --replace-body            at end-of-message, replace the body with the one received (kept
 *                             whole in memory) and add X-Body-Length: N and X-Body-Sum: S (the
 *                             byte count and the sum of every byte modulo 2^32, in decimal);
 *                             --reject-subject and --tempfail-subject are then ignored
 * SPEC is libmilter's spelling: unix:/path or inet:PORT@HOST. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <libmilter/mfapi.h>

#define MAX_HEADERS 8
static const char *add_names[MAX_HEADERS];
static const char *add_values[MAX_HEADERS];
static int n_add = 0;
static const char *reject_subject = NULL;
static const char *tempfail_subject = NULL;
static const char *reject_recipient = NULL;
static int symlist = 0;
static int eom_continue = 0;
static int replace_body = 0;

/* The body received so far (--replace-body), one per connection. */
struct body { unsigned char *bytes; size_t length, capacity; unsigned long sum; };
static struct body *body_of(SMFICTX *ctx, int create);

enum verdict { PASS = 0, REJECT = 1, TEMPFAIL = 2 };

static sfsistat t_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
                            unsigned long f3, unsigned long *pf0, unsigned long *pf1,
                            unsigned long *pf2, unsigned long *pf3)
{
    *pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_SETSYMLIST | (replace_body ? SMFIF_CHGBODY : 0));
    *pf1 = f1 & SMFIP_SKIP;
    *pf2 = 0;
    *pf3 = 0;
    if (symlist) {
        smfi_setsymlist(ctx, SMFIM_CONNECT, "{client_addr} j");
        smfi_setsymlist(ctx, SMFIM_EOM, "i");
    }
    return SMFIS_CONTINUE;
}

static sfsistat t_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{ smfi_setpriv(ctx, NULL); return SMFIS_CONTINUE; }
static sfsistat t_helo(SMFICTX *ctx, char *helo) { return SMFIS_CONTINUE; }
static void body_free(SMFICTX *ctx);
static sfsistat t_envfrom(SMFICTX *ctx, char **argv) { body_free(ctx); smfi_setpriv(ctx, NULL); return SMFIS_CONTINUE; }

static sfsistat t_envrcpt(SMFICTX *ctx, char **argv)
{
    if (reject_recipient && strstr(argv[0], reject_recipient)) {
        smfi_setreply(ctx, "550", "5.1.1", "recipient rejected by testmilter");
        return SMFIS_REJECT;
    }
    return SMFIS_CONTINUE;
}

static sfsistat t_data(SMFICTX *ctx) { return SMFIS_CONTINUE; }
static sfsistat t_unknown(SMFICTX *ctx, const char *cmd) { return SMFIS_CONTINUE; }

static sfsistat t_header(SMFICTX *ctx, char *name, char *value)
{
    if (!replace_body && strcasecmp(name, "Subject") == 0) {
        if (reject_subject && strstr(value, reject_subject))
            smfi_setpriv(ctx, (void *)REJECT);
        else if (tempfail_subject && strstr(value, tempfail_subject))
            smfi_setpriv(ctx, (void *)TEMPFAIL);
    }
    return SMFIS_CONTINUE;
}

static sfsistat t_eoh(SMFICTX *ctx) { return SMFIS_CONTINUE; }
/* The verdict lives in the private pointer; with --replace-body it points at a struct holding
 * the verdict's place and the body. */
struct state { long verdict; struct body body; };

static struct body *body_of(SMFICTX *ctx, int create)
{
    struct state *state = smfi_getpriv(ctx);
    if (!state && create) {
        state = calloc(1, sizeof *state);
        smfi_setpriv(ctx, state);
    }
    return state ? &state->body : NULL;
}

static void body_free(SMFICTX *ctx)
{
    if (!replace_body) return;
    struct state *state = smfi_getpriv(ctx);
    if (state) { free(state->body.bytes); free(state); }
}

static sfsistat t_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
    if (!replace_body) return SMFIS_CONTINUE;
    struct body *body = body_of(ctx, 1);
    if (!body) return SMFIS_TEMPFAIL;
    if (body->length + len > body->capacity) {
        size_t capacity = body->capacity ? body->capacity : 65536;
        while (capacity < body->length + len) capacity *= 2;
        unsigned char *bytes = realloc(body->bytes, capacity);
        if (!bytes) return SMFIS_TEMPFAIL;
        body->bytes = bytes;
        body->capacity = capacity;
    }
    memcpy(body->bytes + body->length, chunk, len);
    body->length += len;
    for (size_t i = 0; i < len; i++) body->sum += chunk[i];
    return SMFIS_CONTINUE;
}

static sfsistat t_eom(SMFICTX *ctx)
{
    if (replace_body) {
        struct body *body = body_of(ctx, 1);
        char text[32];
        if (!body) return SMFIS_TEMPFAIL;
        snprintf(text, sizeof text, "%zu", body->length);
        smfi_addheader(ctx, "X-Body-Length", text);
        snprintf(text, sizeof text, "%lu", body->sum & 0xffffffffUL);
        smfi_addheader(ctx, "X-Body-Sum", text);
        if (smfi_replacebody(ctx, body->bytes ? body->bytes : (unsigned char *)"", (int)body->length) != MI_SUCCESS)
            return SMFIS_TEMPFAIL;
        body_free(ctx);
        smfi_setpriv(ctx, NULL);
        for (int i = 0; i < n_add; i++)
            smfi_addheader(ctx, (char *)add_names[i], (char *)add_values[i]);
        return eom_continue ? SMFIS_CONTINUE : SMFIS_ACCEPT;
    }
    long verdict = (long)smfi_getpriv(ctx);
    smfi_setpriv(ctx, NULL);
    if (verdict == REJECT) {
        smfi_setreply(ctx, "550", "5.7.1", "rejected by testmilter");
        return SMFIS_REJECT;
    }
    if (verdict == TEMPFAIL) {
        smfi_setreply(ctx, "451", "4.7.1", "try again later, says testmilter");
        return SMFIS_TEMPFAIL;
    }
    for (int i = 0; i < n_add; i++)
        smfi_addheader(ctx, (char *)add_names[i], (char *)add_values[i]);
    return eom_continue ? SMFIS_CONTINUE : SMFIS_ACCEPT;
}

static sfsistat t_abort(SMFICTX *ctx) { body_free(ctx); smfi_setpriv(ctx, NULL); return SMFIS_CONTINUE; }
static sfsistat t_close(SMFICTX *ctx) { body_free(ctx); smfi_setpriv(ctx, NULL); return SMFIS_CONTINUE; }

static struct smfiDesc desc = {
    "testmilter", SMFI_VERSION, SMFIF_ADDHDRS | SMFIF_SETSYMLIST,
    t_connect, t_helo, t_envfrom, t_envrcpt, t_header, t_eoh, t_body, t_eom, t_abort, t_close,
    t_unknown, t_data, t_negotiate
};

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: testmilter SPEC [options]\n"); return 64; }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--add-header") == 0 && i + 1 < argc && n_add < MAX_HEADERS) {
            char *spec = argv[++i], *colon = strchr(spec, ':');
            if (!colon) { fprintf(stderr, "--add-header needs NAME:VALUE\n"); return 64; }
            *colon = '\0';
            add_names[n_add] = spec;
            add_values[n_add++] = colon + 1;
        } else if (strcmp(argv[i], "--reject-subject") == 0 && i + 1 < argc) {
            reject_subject = argv[++i];
        } else if (strcmp(argv[i], "--tempfail-subject") == 0 && i + 1 < argc) {
            tempfail_subject = argv[++i];
        } else if (strcmp(argv[i], "--reject-recipient") == 0 && i + 1 < argc) {
            reject_recipient = argv[++i];
        } else if (strcmp(argv[i], "--symlist") == 0) {
            symlist = 1;
        } else if (strcmp(argv[i], "--continue") == 0) {
            eom_continue = 1;
        } else if (strcmp(argv[i], "--replace-body") == 0) {
            replace_body = 1;
            desc.xxfi_flags |= SMFIF_CHGBODY;
        } else if (strcmp(argv[i], "--accept") == 0) {
            eom_continue = 0;
        } else {
            fprintf(stderr, "unknown option: %s\n", argv[i]);
            return 64;
        }
    }
    umask(0);  /* unix sockets usable by other users (Postfix runs as postfix) */
    if (smfi_setconn(argv[1]) == MI_FAILURE) { fprintf(stderr, "smfi_setconn failed\n"); return 1; }
    if (smfi_register(desc) == MI_FAILURE) { fprintf(stderr, "smfi_register failed\n"); return 1; }
    smfi_setbacklog(128);
    fprintf(stderr, "testmilter listening on %s\n", argv[1]);
    fflush(stderr);
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
