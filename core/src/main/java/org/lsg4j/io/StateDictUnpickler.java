package org.lsg4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lsg4j.LsgException;

/**
 * A restricted unpickler for the {@code data.pkl} of a torch checkpoint. It interprets only the
 * pickle opcodes torch uses to save a state dict and allows only the globals such a dict needs
 * ({@code collections.OrderedDict}, the {@code torch._utils} tensor rebuilders and the torch storage
 * types). Globals are kept as names and the few allowed calls are interpreted here; nothing from
 * the file is ever executed. Anything else is refused with a message naming the opcode or global.
 *
 * <p>The work a pickle can ask for is bounded too: values made in all, stack and memo sizes and
 * MARK depth stay within {@link Limits}, and dict keys must be strings, so that no self-referencing
 * or deeply nested structure is ever hashed, printed or walked recursively.
 */
final class StateDictUnpickler {
    private static final String UTILS = "torch._utils";
    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32,
            "DoubleStorage", DType.F64,
            "HalfStorage", DType.F16,
            "BFloat16Storage", DType.BF16,
            "LongStorage", DType.I64,
            "IntStorage", DType.I32,
            "ShortStorage", DType.I16,
            "CharStorage", DType.I8,
            "ByteStorage", DType.U8,
            "BoolStorage", DType.BOOL);
    /** Open MARKs at once: torch's pickles nest two or three. */
    private static final int MAX_MARKS = 64;

    private final byte[] data;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int pos;
    private int opStart;
    private long made;

    private StateDictUnpickler(byte[] data, String source) {
        this.data = data;
        this.source = source;
    }

    /**
     * Reads a pickled state dict.
     *
     * @param source names the pickle in messages (file and archive entry)
     * @return tensor name to tensor view, in pickle order
     * @throws LsgException if the pickle is malformed, uses anything a state dict does not need, or
     *     is not a dict of tensors
     */
    static Map<String, TorchRefs.Tensor> read(byte[] pickle, String source) {
        Object result = new StateDictUnpickler(pickle, source).run();
        if (!(result instanceof Map<?, ?> dict)) {
            throw new LsgException(source + ": expected a state dict, found " + describe(result));
        }
        Map<String, TorchRefs.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String key = (String) e.getKey();   // SETITEM(S) let only strings in
            if (!(e.getValue() instanceof TorchRefs.Tensor tensor)) {
                throw new LsgException(source + ": state dict entry '" + LsgException.excerpt(key) + "' is "
                        + describe(e.getValue()) + ", not a tensor");
            }
            if (tensors.size() == Limits.TENSORS) {
                throw new LsgException(source + ": the state dict holds more than " + Limits.TENSORS + " tensors");
            }
            tensors.put(key, tensor);
        }
        return tensors;
    }

    private Object run() {
        while (true) {
            opStart = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int version = u8();
                    if (version > 5) {
                        throw fail("unsupported pickle protocol " + version);
                    }
                }
                case 0x95 -> bytes(8) /* FRAME: a length hint, the opcodes follow inline */;
                case '(' -> { // MARK
                    if (marks.size() == MAX_MARKS) {
                        throw fail("pickle nests more than " + MAX_MARKS + " MARKs");
                    }
                    marks.push(stack.size());
                }
                case '.' -> { // STOP
                    Object result = pop();
                    if (!stack.isEmpty() || !marks.isEmpty()) {
                        throw fail("pickle stops with unused values on the stack");
                    }
                    return result;
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case ')' -> push(List.of()); // EMPTY_TUPLE
                case 't' -> push(tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(popN(1))); // TUPLE1
                case 0x86 -> push(tuple(popN(2))); // TUPLE2
                case 0x87 -> push(tuple(popN(3))); // TUPLE3
                case 'a' -> { // APPEND
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(peek()).put(key(key), value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw fail("SETITEMS with an odd number of items");
                    }
                    Map<Object, Object> dict = dict(peek());
                    for (int i = 0; i < items.size(); i += 2) {
                        dict.put(key(items.get(i)), items.get(i + 1));
                    }
                }
                case 'X' -> push(utf8(bytes(u32()))); // BINUNICODE
                case 0x8c -> push(utf8(bytes(u8()))); // SHORT_BINUNICODE
                case 'J' -> push((long) ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).getDouble()); // BINFLOAT, big-endian
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'q' -> memoize(u8(), peek()); // BINPUT
                case 'r' -> memoize(u32(), peek()); // LONG_BINPUT
                case 0x94 -> memoize(memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32())); // LONG_BINGET
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(storage(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, args));
                }
                case 'b' -> { // BUILD: a dict's state is its _metadata attribute, not needed for weights
                    Object state = pop();
                    if (!(peek() instanceof Map<?, ?>) || !(state == null || state instanceof Map<?, ?>)) {
                        throw fail("BUILD is only allowed on a dict, found " + describe(peek()));
                    }
                }
                default -> throw fail(String.format("refusing pickle opcode 0x%02x%s", op,
                        op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : ""));
            }
        }
    }

    /** A dict key, which must be a string: a state dict has no other, and a list key could contain itself. */
    private String key(Object key) {
        if (!(key instanceof String s)) {
            throw fail("dict key must be a string, found " + describe(key));
        }
        return s;
    }

    private TorchRefs.Global global(String module, String name) {
        boolean allowed = module.equals("collections") && name.equals("OrderedDict")
                || module.equals(UTILS) && (name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_tensor")
                        || name.equals("_rebuild_parameter"))
                || module.equals("torch") && STORAGE_TYPES.containsKey(name);
        if (!allowed) {
            throw fail("refusing global '" + LsgException.excerpt(module + "." + name) + "', a state dict does not need it");
        }
        return new TorchRefs.Global(module, name);
    }

    private TorchRefs.Storage storage(Object pid) {
        if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof TorchRefs.Global type) || !type.module().equals("torch")
                || !STORAGE_TYPES.containsKey(type.name())
                || !(t.get(2) instanceof String key) || !(t.get(3) instanceof String)
                || !(t.get(4) instanceof Long numel) || numel < 0 || numel > Long.MAX_VALUE / 8) {
            throw fail("persistent id must be ('storage', <torch storage type>, key, location, numel), found "
                    + describe(pid));
        }
        return new TorchRefs.Storage(STORAGE_TYPES.get(type.name()), key, numel);
    }

    private Object call(Object callable, Object argsObject) {
        if (!(callable instanceof TorchRefs.Global g)) {
            throw fail("REDUCE on " + describe(callable) + ", which is not an allowed global");
        }
        if (!(argsObject instanceof List<?> args)) {
            throw fail("REDUCE arguments for " + g + " must be a tuple");
        }
        String fn = g.toString();
        return switch (fn) {
            case "collections.OrderedDict" -> {
                if (!args.isEmpty()) {
                    throw fail("collections.OrderedDict called with arguments");
                }
                yield new LinkedHashMap<>();
            }
            case UTILS + "._rebuild_tensor_v2", UTILS + "._rebuild_tensor" -> {
                int min = fn.endsWith("v2") ? 6 : 4;
                if (args.size() < min || args.size() > min + 1) {
                    throw fail(fn + " expects " + min + " arguments, found " + args.size());
                }
                yield tensor(fn, args.get(0), args.get(1), args.get(2), args.get(3));
            }
            case UTILS + "._rebuild_parameter" -> {
                if (args.size() != 3 || !(args.get(0) instanceof TorchRefs.Tensor t)) {
                    throw fail(fn + " expects (tensor, requires_grad, hooks), found " + describe(args));
                }
                yield t;
            }
            default -> throw fail("refusing to call " + fn);
        };
    }

    private TorchRefs.Tensor tensor(String fn, Object storage, Object offset, Object size, Object stride) {
        if (!(storage instanceof TorchRefs.Storage s) || !(offset instanceof Long off) || off < 0) {
            throw fail(fn + " expects a storage and a non-negative offset, found " + describe(storage) + ", "
                    + describe(offset));
        }
        long[] sizes = longs(fn + " size", size);
        long[] strides = longs(fn + " stride", stride);
        if (sizes.length != strides.length) {
            throw fail(fn + " size has " + sizes.length + " dims but stride has " + strides.length);
        }
        int[] shape = new int[sizes.length];
        for (int i = 0; i < shape.length; i++) {
            if (sizes[i] > Integer.MAX_VALUE) {
                throw fail(fn + " size[" + i + "] = " + sizes[i] + " is too large");
            }
            shape[i] = (int) sizes[i];
        }
        TorchRefs.Tensor tensor = new TorchRefs.Tensor(s, off, shape, strides);
        long extent;
        try {
            extent = tensor.extent();
        } catch (ArithmeticException e) {
            throw fail(fn + " view is too large");
        }
        if (extent > s.numel()) {
            throw fail(fn + " view reaches element " + extent + " of storage '" + s.key() + "', which has "
                    + s.numel());
        }
        return tensor;
    }

    private long[] longs(String what, Object tuple) {
        if (!(tuple instanceof List<?> items)) {
            throw fail(what + " must be a tuple of integers, found " + describe(tuple));
        }
        long[] values = new long[items.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(items.get(i) instanceof Long v) || v < 0) {
                throw fail(what + " must be a tuple of non-negative integers, found " + describe(tuple));
            }
            values[i] = v;
        }
        return values;
    }

    private LsgException fail(String message) {
        return new LsgException(source + ": " + message + " (at byte " + opStart + ")");
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof TorchRefs.Global g) {
            return "global " + g;
        }
        if (o instanceof List<?> l) {
            return "a sequence of " + l.size();
        }
        if (o instanceof Map<?, ?>) {
            return "a dict";
        }
        return "a " + o.getClass().getSimpleName();
    }

    private void push(Object o) {
        if (stack.size() == Limits.PICKLE_STACK) {
            throw fail("pickle stack holds more than " + Limits.PICKLE_STACK + " values");
        }
        if (++made > 4L * Limits.PICKLE_STACK) {
            throw fail("pickle makes more than " + 4L * Limits.PICKLE_STACK + " values, far more than a state dict");
        }
        stack.add(o);
    }

    private void memoize(long index, Object value) {
        if (memo.size() == Limits.PICKLE_STACK && !memo.containsKey(index)) {
            throw fail("pickle memo holds more than " + Limits.PICKLE_STACK + " entries");
        }
        memo.put(index, value);
    }

    private Object pop() {
        if (stack.isEmpty() || !marks.isEmpty() && stack.size() == marks.peek()) {
            throw fail("pickle stack underflow");
        }
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw fail("pickle stack underflow");
        }
        return stack.getLast();
    }

    private List<Object> popN(int n) {
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.addFirst(pop());
        }
        return items;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw fail("no MARK on the stack");
        }
        List<Object> top = stack.subList(marks.pop(), stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(items);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (!(o instanceof ArrayList<?>)) {
            throw fail("APPEND to " + describe(o) + ", not a list");
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw fail("SETITEM on " + describe(o) + ", not a dict");
        }
        return (Map<Object, Object>) o;
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw fail("memo entry " + index + " is not set");
        }
        return memo.get(index);
    }

    private int u8() {
        if (pos >= data.length) {
            throw fail("pickle is truncated");
        }
        return data[pos++] & 0xFF;
    }

    private long u32() {
        return u8() | u8() << 8 | u8() << 16 | (long) u8() << 24;
    }

    private byte[] bytes(long n) {
        if (n > data.length - pos) {
            throw fail("pickle is truncated");
        }
        byte[] out = Arrays.copyOfRange(data, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }

    private long long1() {
        int n = u8();
        if (n > 8) {
            throw fail("LONG1 of " + n + " bytes is too large");
        }
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        if (n > 0 && n < 8 && b[n - 1] < 0) {
            v -= 1L << (8 * n);
        }
        return v;
    }

    private String line() {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos >= data.length) {
            throw fail("pickle is truncated");
        }
        return utf8(Arrays.copyOfRange(data, start, pos++));
    }

    private String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw fail("string is not valid UTF-8");
        }
    }
}
