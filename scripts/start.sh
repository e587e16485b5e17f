#!/bin/sh
# How `npm start` runs the server once scripts/build.mjs has bundled it (package.json). Every step
# execs the next, so the process npm started is the server itself and gets the signals a service
# manager sends (SIGTERM: graceful shutdown). bench/uploads.ts runs the server through this file.
#
# Memory settings, measured with bench/uploads.ts (50 concurrent uploads of 10 MB, PGlite; peak RSS
# of the server, Node 20, 2026-12-04): 357-400 MiB without them, 256-283 MiB with the three
# below, 240-262 MiB once Node's --enable-source-maps was dropped too (see the end).
#  - MALLOC_ARENA_MAX=1: one malloc arena for every thread. Upload buffers are allocated and
#    freed across the main thread and the threads of libuv and of V8's garbage collector; with an
#    arena per thread, memory freed in one is (most likely) not reused by the others: 320-326 MiB at the peak
#    with the two flags below alone, 274-286 with two arenas, 256 with one; uploads were no
#    slower. An operator's own MALLOC_ARENA_MAX is kept.
#  - --max-semi-space-size=4 (MiB): V8's young generation, up to 16 MiB per semi-space by
#    default, held by the process once grown; smaller, it is collected more often (idle server
#    245-250 MiB, 217-227 with this flag).
#  - --wasm-tiering-budget: PGlite is WebAssembly. By default V8 recompiles with its optimising
#    compiler every function that ran a little, which at start (migrations, seed checks) is most
#    of PostgreSQL: some 45 MiB of machine code and compiler memory (idle server 245-250 MiB,
#    197 with this flag). With a budget of 1.8 billion (V8's default: 1.8 million in Node 20,
#    13 million in Node 24) only the functions that stay hot are recompiled: simple queries ran
#    as fast, an aggregate-heavy loop some 20% slower over its first second. Nothing else here is
#    WebAssembly: on a PostgreSQL server it does nothing.
#    Node 24 (V8 13): its optimising compiler for WebAssembly (Turboshaft) can take hundreds of MB
#    for one large function, and can abort the process ("Fatal process out of memory: Zone",
#    nodejs/node#63421, open; Node 22 is not affected). Here, once PostgreSQL's largest hot
#    function tiered up, its compile alone took 607 MB (--trace-wasm-compilation-times; Node 20:
#    8 MB) and the server peaked at 770 MiB. So on Node 24 and later PGlite runs on the baseline
#    compiler only (--liftoff-only, the workaround given there): no such spike (300-315 MiB at the
#    peak, 275-297 without source maps), but PGlite queries some 55% slower. On a PostgreSQL server none of this applies.
#  - No --enable-source-maps: with it Node parses and keeps the source map of every module it
#    loads, packages included, for the life of the process (idle server 181-187 MiB with it,
#    164-166 without; Node 24: 196-197 and 180-181). Stacks that reach the log are mapped to
#    the sources when they are logged (src/shared/source-stack.ts).
wasm="--wasm-tiering-budget=1800000000"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then wasm="--liftoff-only"; fi
exec env MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}" node --max-semi-space-size=4 "$wasm" dist/server.mjs
