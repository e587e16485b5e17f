#!/bin/sh
# How `npm start` runs the server once scripts/build.mjs has bundled it (package.json). Every step
# execs the next, so the process npm started is the server itself and gets the signals a service
# manager sends (SIGTERM: graceful shutdown). bench/uploads.ts runs the server through this file.
#
# Memory settings, measured with bench/uploads.ts (50 concurrent uploads of 10 MB, PGlite; peak RSS
# of the server, 2026-12-04): 357-400 MiB without them, 256-275 MiB with all three.
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
#    Node 24 (V8 13): once PostgreSQL's largest hot function tiers up, its optimising compile
#    alone takes some 600 MB for half a second (--trace-wasm-compilation-times), so the server's
#    peak on PGlite is about 770 MiB whatever these settings; --liftoff-only avoids it (311 MiB)
#    but makes PGlite queries some 55% slower, so it is not set. (Node 20 compiles it in 26 MB.)
exec env MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}" node --enable-source-maps --max-semi-space-size=4 --wasm-tiering-budget=1800000000 dist/server.mjs
