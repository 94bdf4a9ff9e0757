package dev.weft;

import dev.weft.memory.Buffer;
import dev.weft.memory.ScopeFrame;
import dev.weft.schedule.Scheduler;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * {@link Weft#scope()}: on close, the tensors made inside it are freed, except survivors:
 * tensors passed to {@link #keep} and values held by a {@link Parameter}. Survivors are
 * evaluated first, so they no longer depend on the temporaries, and move to the enclosing
 * scope. Using a freed tensor throws {@link IllegalStateException}. Tensors made before the
 * scope are never touched, even if they were evaluated inside it.
 */
final class TensorScope implements Weft.MemoryScope {
    private static final ThreadLocal<Deque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final TensorScope parent;
    private final ScopeFrame frame;
    private final List<WeakReference<Tensor>> created = new ArrayList<>();
    private final Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
        this.frame = new ScopeFrame(parent == null ? null : parent.frame);
    }

    static TensorScope open() {
        Deque<TensorScope> stack = STACK.get();
        TensorScope s = new TensorScope(stack.peek());
        stack.push(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    static TensorScope current() {
        return STACK.get().peek();
    }

    ScopeFrame frame() {
        return frame;
    }

    void register(Tensor t) {
        created.add(new WeakReference<>(t));
    }

    @Override
    public Tensor keep(Tensor... tensors) {
        if (closed) {
            throw new IllegalStateException("keep(): the scope is already closed");
        }
        for (Tensor t : tensors) {
            t.value.checkUsable("keep()");
            kept.add(t);
        }
        return tensors.length == 0 ? null : tensors[0];
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        Deque<TensorScope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("Weft.scope(): scopes closed out of order; close the innermost first "
                    + "(use try-with-resources)");
        }
        closed = true;
        stack.pop();
        List<Tensor> survivors = new ArrayList<>();
        List<Tensor> dying = new ArrayList<>();
        for (WeakReference<Tensor> ref : created) {
            Tensor t = ref.get();
            if (t == null || t.value.isFreed()) {
                continue;
            }
            (kept.contains(t) || t.value.isPinned() ? survivors : dying).add(t);
        }
        // one evaluation: the survivors with every pending effect (which may write buffers this scope is
        // about to free), so a survivor traced from a pending value shares its kernel (an optimizer's
        // step and the cast of the weights a layer took from it)
        if (survivors.isEmpty()) {
            Scheduler.evaluate();
        } else {
            TensorValue.evalAll(survivors);
        }
        for (Tensor t : survivors) {
            t.value.setScope(parent);
            if (parent != null) {
                parent.register(t);
            }
            for (Buffer b : t.value.buffersReferenced()) {
                frame.adopt(b);
            }
        }
        for (Tensor t : dying) {
            t.value.markFreed();
        }
        frame.freeOwned("the tensor was freed when its Weft.scope() closed");
        created.clear();
        kept.clear();
    }
}
