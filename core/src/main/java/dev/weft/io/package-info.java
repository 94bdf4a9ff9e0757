/**
 * Reading and writing images as tensors ({@link dev.weft.io.Images}).
 *
 * <p>Data flow: files on disk (PNG, JPEG) are decoded by {@code javax.imageio} into host arrays
 * and become {@code [H, W, C]} F32 tensors on the default device, usually the target of a fit
 * (through {@code Texture2}); results go the other way, read back from the device and encoded as
 * 8-bit PNG or JPEG. {@code javax.imageio} (module {@code java.desktop}) is touched only when
 * these methods are called, so runtimes without it (the GPU bundle) run everything else.
 */
package dev.weft.io;
