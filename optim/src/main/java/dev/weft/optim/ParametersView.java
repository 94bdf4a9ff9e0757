package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.Tensor;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * {@link Optimizer#parameters()}: a live map over the optimizer's keys in registration order;
 * {@code get} is {@link Optimizer#get}, {@code put} replaces a registered value of the same shape
 * (keeping its state); keys are never added or removed through it (the {@code Parameterized}
 * contract, so that {@code layer.update(optimizer)} reads it like any other source).
 */
final class ParametersView extends AbstractMap<String, Tensor> {
    private final Optimizer opt;

    ParametersView(Optimizer opt) {
        this.opt = opt;
    }

    @Override
    public Tensor get(Object key) {
        return key instanceof String k && opt.contains(k) ? opt.get(k) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && opt.contains(k);
    }

    @Override
    public Tensor put(String key, Tensor value) {
        Slot s = opt.slot("parameters().put()", key);
        Objects.requireNonNull(value, "parameters().put(): value");
        checkArgument(Arrays.equals(value.shape(), s.master().shape()), "%s.parameters().put(): a value of shape %s "
                + "for \"%s\" of shape %s; the view keeps shapes (use put() to register another shape)", opt.kind(),
                Arrays.toString(value.shape()), key, Arrays.toString(s.master().shape()));
        Tensor previous = opt.get(key);
        opt.put(key, value);
        return previous;
    }

    @Override
    public Set<Entry<String, Tensor>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Tensor>> iterator() {
                Iterator<String> keys = new ArrayList<>(opt.keySet()).iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return keys.hasNext();
                    }

                    @Override
                    public Entry<String, Tensor> next() {
                        String k = keys.next();
                        return new SimpleEntry<>(k, opt.get(k)) {
                            @Override
                            public Tensor setValue(Tensor value) {
                                return ParametersView.this.put(k, value);
                            }
                        };
                    }
                };
            }

            @Override
            public int size() {
                return opt.size();
            }
        };
    }
}
