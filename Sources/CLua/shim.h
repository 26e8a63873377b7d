#ifndef CLUA_SHIM_H
#define CLUA_SHIM_H
/*
 * Lua 5.4 from Debian (liblua5.4-dev), imported by MilterScripting only.
 *
 * Everything that may raise a Lua error (and so longjmp) is written here in C: the allocator
 * with its memory cap, the instruction/time hook, and the read-only context's metamethods.
 * Swift code only calls the API functions that run inside lua_pcall or cannot fail, so a
 * longjmp never crosses a Swift frame.
 */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Why a call was stopped by the limits (set before the error is raised). */
enum { CLUA_STOP_NONE = 0, CLUA_STOP_INSTRUCTIONS = 1, CLUA_STOP_TIME = 2, CLUA_STOP_MEMORY = 3 };

/* Looks a context value up for the metamethods: kind 0 = a field of context, 1 = a macro,
 * 2 = a child's result. Writes a string (pointer and length, valid until the next lookup) or
 * sets *is_boolean / *is_integer; returns 0 when there is no such value. */
typedef int (*clua_lookup_fn)(void *owner, int kind, const char *key, size_t key_length, const char **value,
    size_t *value_length, int *is_boolean, long long *integer, int *is_integer);

/* The per-state limits and counters; the allocator's user data. */
typedef struct clua_control {
    size_t memory_used;
    size_t memory_limit;
    unsigned long long allocations;
    long long instructions_left;
    struct timespec deadline;
    int in_call;
    int stop_reason;
    void *owner;
    clua_lookup_fn lookup;
} clua_control;

static inline void *clua_allocate(void *ud, void *pointer, size_t old_size, size_t new_size) {
    clua_control *control = (clua_control *)ud;
    if (pointer == NULL) old_size = 0;
    if (new_size == 0) {
        free(pointer);
        control->memory_used -= old_size;
        return NULL;
    }
    /* The cap holds while a script runs (a call or a script's top level); outside, only the
     * host's own pushes allocate, and a failure there would abort the process. */
    if (control->in_call && new_size > old_size
        && control->memory_used - old_size + new_size > control->memory_limit) {
        control->stop_reason = CLUA_STOP_MEMORY;
        return NULL;
    }
    if (new_size > old_size) control->allocations += 1;
    void *resized = realloc(pointer, new_size);
    if (resized != NULL) control->memory_used = control->memory_used - old_size + new_size;
    return resized;
}

static inline clua_control *clua_control_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (clua_control *)ud;
}

/* How many instructions run between two hook calls. */
#define CLUA_HOOK_INTERVAL 1000

static inline void clua_hook(lua_State *L, lua_Debug *debug) {
    (void)debug;
    clua_control *control = clua_control_of(L);
    if (!control->in_call) return;
    control->instructions_left -= CLUA_HOOK_INTERVAL;
    if (control->instructions_left < 0) {
        control->stop_reason = CLUA_STOP_INSTRUCTIONS;
        luaL_error(L, "instruction budget exhausted");
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > control->deadline.tv_sec
        || (now.tv_sec == control->deadline.tv_sec && now.tv_nsec >= control->deadline.tv_nsec)) {
        control->stop_reason = CLUA_STOP_TIME;
        luaL_error(L, "time limit exceeded");
    }
}

static inline lua_State *clua_new_state(clua_control *control) {
    lua_State *L = lua_newstate(clua_allocate, control);
    if (L != NULL) lua_sethook(L, clua_hook, LUA_MASKCOUNT, CLUA_HOOK_INTERVAL);
    return L;
}

/* Starts a call: budget and deadline from now. */
static inline void clua_begin_call(clua_control *control, long long instructions, long long nanoseconds) {
    clock_gettime(CLOCK_MONOTONIC, &control->deadline);
    long long total = (long long)control->deadline.tv_nsec + nanoseconds;
    control->deadline.tv_sec += (time_t)(total / 1000000000LL);
    control->deadline.tv_nsec = (long)(total % 1000000000LL);
    control->instructions_left = instructions;
    control->stop_reason = CLUA_STOP_NONE;
    control->in_call = 1;
}

static inline void clua_end_call(clua_control *control) { control->in_call = 0; }

/* __index of the context userdatas: upvalue 1 is the kind (0 context, 1 macros, 2 children);
 * for kind 0 the fields "macros" and "children" are upvalues 2 and 3. */
static inline int clua_context_index(lua_State *L) {
    int kind = (int)lua_tointeger(L, lua_upvalueindex(1));
    size_t key_length = 0;
    const char *key = lua_tolstring(L, 2, &key_length);
    if (key == NULL) { lua_pushnil(L); return 1; }
    if (kind == 0 && strcmp(key, "macros") == 0) { lua_pushvalue(L, lua_upvalueindex(2)); return 1; }
    if (kind == 0 && strcmp(key, "children") == 0) { lua_pushvalue(L, lua_upvalueindex(3)); return 1; }
    clua_control *control = clua_control_of(L);
    const char *value = NULL;
    size_t value_length = 0;
    int is_boolean = 0, is_integer = 0;
    long long integer = 0;
    if (control->lookup == NULL
        || !control->lookup(control->owner, kind, key, key_length, &value, &value_length, &is_boolean, &integer,
            &is_integer)) {
        lua_pushnil(L);
    } else if (is_boolean) {
        lua_pushboolean(L, integer != 0);
    } else if (is_integer) {
        lua_pushinteger(L, (lua_Integer)integer);
    } else {
        lua_pushlstring(L, value, value_length);
    }
    return 1;
}

static inline int clua_read_only(lua_State *L) { return luaL_error(L, "the context is read-only"); }

/* Pushes a read-only proxy userdata of `kind`; for kind 0 the macros and children proxies
 * must be on the stack top (children above macros) and are consumed. */
static inline void clua_push_proxy(lua_State *L, int kind) {
    int extra = kind == 0 ? 2 : 0;
    lua_newuserdatauv(L, 0, 0);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, kind);
    if (kind == 0) {
        lua_pushvalue(L, -5);
        lua_pushvalue(L, -5);
    }
    lua_pushcclosure(L, clua_context_index, 1 + extra);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, clua_read_only);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "read-only");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    if (kind == 0) {
        lua_replace(L, -3);
        lua_pop(L, 1);
    }
}

/* Opens the allowed libraries (base without its file and loading functions, string, table,
 * math, utf8) in the global table, and protects the string metatable. Run under pcall. */
static inline int clua_open_sandbox(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(L, 0);
    static const char *const removed[] = {
        "dofile", "loadfile", "load", "require", "collectgarbage", "print", "rawset", "rawget", "rawequal",
        "rawlen", "setmetatable", "getmetatable", "_G", NULL,
    };
    for (int index = 0; removed[index] != NULL; index++) {
        lua_pushnil(L);
        lua_setglobal(L, removed[index]);
    }
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "read-only");
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    /* math.random with a fixed seed would be predictable but harmless; keep it. */
    return 0;
}

/* A fresh environment for one script: a table with copies of the library tables (so that a
 * script changing string.upper changes only its own), whose other missing keys are read from
 * the globals (the base functions) and whose writes stay in the table. Run under pcall;
 * leaves it on the stack. */
static inline int clua_new_environment(lua_State *L) {
    lua_createtable(L, 0, 16);
    static const char *const libraries[] = {"string", "table", "math", "utf8", NULL};
    for (int index = 0; libraries[index] != NULL; index++) {
        lua_createtable(L, 0, 32);
        lua_getglobal(L, libraries[index]);
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -5);
        }
        lua_pop(L, 1);
        lua_setfield(L, -2, libraries[index]);
    }
    lua_createtable(L, 0, 2);
    lua_pushglobaltable(L);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "read-only");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    return 1;
}

static inline int clua_pcall(lua_State *L, int arguments, int results) {
    return lua_pcall(L, arguments, results, 0);
}

static inline int clua_pcall_function(lua_State *L, lua_CFunction function, int results) {
    lua_pushcfunction(L, function);
    return lua_pcall(L, 0, results, 0);
}

static inline const char *clua_tostring(lua_State *L, int index, size_t *length) {
    return lua_type(L, index) == LUA_TSTRING || lua_type(L, index) == LUA_TNUMBER
        ? lua_tolstring(L, index, length) : NULL;
}

static inline void clua_pop(lua_State *L, int count) { lua_pop(L, count); }
static inline int clua_upvalue_env(lua_State *L, int function_index) {
    return lua_setupvalue(L, function_index, 1) != NULL;
}
static inline int clua_registry_index(void) { return LUA_REGISTRYINDEX; }
static inline void clua_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
#endif
