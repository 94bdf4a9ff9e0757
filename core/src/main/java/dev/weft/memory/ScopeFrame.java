package dev.weft.memory;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory side of a {@code Weft.scope()}: the buffers allocated while it was the innermost
 * scope of its thread. Closing the scope frees those that no survivor needs and hands the
 * survivors' buffers to the enclosing frame ({@link #adopt}).
 */
public final class ScopeFrame {
    private final ScopeFrame parent;
    private final List<WeakReference<Buffer>> buffers = new ArrayList<>();

    public ScopeFrame(ScopeFrame parent) {
        this.parent = parent;
    }

    public ScopeFrame parent() {
        return parent;
    }

    /** Records a buffer allocated in this frame. */
    public void track(Buffer buffer) {
        buffers.add(new WeakReference<>(buffer));
    }

    /** Moves a surviving buffer to the enclosing frame (or to none, then only the GC frees it). */
    public void adopt(Buffer buffer) {
        if (buffer.owner() == this) {
            buffer.setOwner(parent);
            if (parent != null) {
                parent.track(buffer);
            }
        }
    }

    /** Frees every buffer still owned by this frame; returns how many. */
    public int freeOwned(String why) {
        int n = 0;
        for (WeakReference<Buffer> ref : buffers) {
            Buffer b = ref.get();
            if (b != null && b.owner() == this && !b.isFreed()) {
                b.free(why);
                n++;
            }
        }
        buffers.clear();
        return n;
    }
}
