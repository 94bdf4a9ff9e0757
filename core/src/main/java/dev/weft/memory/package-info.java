/**
 * Device memory as the core manages it: {@link dev.weft.memory.CachingAllocator} (one per
 * device) hands out {@link dev.weft.memory.Buffer}s backed by the backend's handles, reuses
 * freed ones, returns unreachable ones through a reference queue, and recovers from
 * out-of-memory once before failing; {@link dev.weft.memory.ScopeFrame} is the record of what a
 * {@code Weft.scope()} allocated, so closing it frees its temporaries deterministically.
 */
package dev.weft.memory;
