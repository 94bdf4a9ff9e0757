package dev.weft.spi;

/**
 * A compiled {@link Kernel}, ready to launch on the backend that compiled it. The core caches
 * programs by the kernel's structural hash, per device.
 */
public interface Program {
    Kernel kernel();
}
