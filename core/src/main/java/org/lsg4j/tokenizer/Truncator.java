package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.util.ArrayList;
import java.util.List;

/** Applies {@link Truncation} to one input: which slices of its sequences make each encoding. */
final class Truncator {
    /** The slices of one encoding: the text's and the pair's (null for a single text). */
    record Parts(Slice a, Slice b) {
    }

    private Truncator() {
    }

    /**
     * @param special number of special tokens the encoding gets, counted toward the maximum length
     */
    static List<Parts> apply(Truncation t, Slice a, Slice b, int special) {
        int room = t.maxLength() - special;
        int total = a.length() + (b == null ? 0 : b.length());
        if (room < 0) {
            throw new LsgException("max_length " + t.maxLength() + " is smaller than the " + special
                    + " special tokens it must hold");
        }
        if (b == null && t.strategy() == TruncationStrategy.ONLY_SECOND) {
            throw new LsgException("truncation only_second needs a pair of inputs");
        }
        if (total <= room) {
            return List.of(new Parts(a, b));
        }
        if (b == null) {
            return windows(a, room, t).stream().map(w -> new Parts(w, null)).toList();
        }
        return switch (t.strategy()) {
            case ONLY_FIRST -> windows(a, roomFor(room - b.length(), "first"), t).stream()
                    .map(w -> new Parts(w, b)).toList();
            case ONLY_SECOND -> windows(b, roomFor(room - a.length(), "second"), t).stream()
                    .map(w -> new Parts(a, w)).toList();
            case LONGEST_FIRST -> {
                if (t.overflowing()) {
                    throw new LsgException("overflowing windows for a pair need truncation only_first or only_second");
                }
                yield List.of(longestFirst(a, b, room));
            }
        };
    }

    private static int roomFor(int room, String which) {
        if (room <= 0) {
            throw new LsgException("cannot truncate the " + which + " input enough: the other input alone fills"
                    + " the maximum length");
        }
        return room;
    }

    /**
     * The reference's longest_first for a pair: when the shorter input fits in half the room it is
     * kept whole and the longer one gets the rest; otherwise each gets half, and with an odd room
     * the extra token goes to the longer input (to the pair when both have the same length).
     */
    private static Parts longestFirst(Slice a, Slice b, int room) {
        boolean swap = a.length() > b.length();
        int shorter = swap ? b.length() : a.length();
        int longer;
        if (shorter > room) {
            longer = shorter;
        } else {
            longer = Math.max(shorter, room - shorter);
        }
        if (shorter + longer > room) {
            shorter = room / 2;
            longer = shorter + room % 2;
        }
        return swap ? new Parts(a.head(longer), b.head(shorter)) : new Parts(a.head(shorter), b.head(longer));
    }

    /** The first window only, or with {@code overflowing} all windows of {@code size} overlapping by the stride. */
    private static List<Slice> windows(Slice s, int size, Truncation t) {
        if (!t.overflowing()) {
            return List.of(s.head(size));
        }
        int step = size - t.stride();
        if (step <= 0) {
            throw new LsgException("stride " + t.stride() + " must be smaller than the " + size
                    + " tokens a window holds");
        }
        List<Slice> out = new ArrayList<>();
        for (int start = s.from(); ; start += step) {
            int end = Math.min(start + size, s.to());
            out.add(new Slice(s.sequence(), start, end));
            if (end == s.to()) {
                return out;
            }
        }
    }
}
