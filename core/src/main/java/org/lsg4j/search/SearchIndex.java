package org.lsg4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The vectors of a corpus's documents and passages, kept in one safetensors file beside the documents
 * ({@link Corpus#indexFile()}): tensors {@code documents} [n, d], {@code passages} [m, d] and
 * {@code passage_spans} [m, 2] (character offsets in the document's text), and in the metadata entry
 * {@code lsg4j.search} a JSON object with the format, the embedder's key and, per document, its id,
 * source file (path, size, modification time), SHA-256, token count and passage count.
 *
 * <p>{@link #update} brings an index up to date with its corpus: a file whose size and modification time
 * are unchanged keeps its vectors without being read; a file that changed is read, and a document whose
 * SHA-256 is unchanged keeps its vectors; the rest is embedded. The file is written atomically (a
 * temporary file moved over it), also every {@value #CHECKPOINT_DOCUMENTS} documents during a long
 * update, so that an interrupted update resumes where it was. Instances are immutable.
 */
public final class SearchIndex {
    static final int FORMAT = 1;
    static final String METADATA_KEY = "lsg4j.search";
    private static final int CHECKPOINT_DOCUMENTS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String key;
    private final int dimension;
    private final List<Entry> entries;

    private SearchIndex(String key, int dimension, List<Entry> entries) {
        this.key = key;
        this.dimension = dimension;
        this.entries = List.copyOf(entries);
    }

    /** One document of the index. */
    record Entry(String id, String file, long size, long mtime, String sha256, int tokens, boolean truncated,
                 float[] vector, int[][] spans, float[][] passages) {
        Entry withSource(Corpus.SourceFile f) {
            return new Entry(id, file, f.size(), f.mtime(), sha256, tokens, truncated, vector, spans, passages);
        }
    }

    /**
     * A document found for a query.
     *
     * @param id           the document's id (its path in a folder)
     * @param file         the source file, relative to the corpus
     * @param score        the cosine of the query and the document's vector
     * @param passageStart the best passage's first character in the document's text (-1 when the document has none)
     * @param passageEnd   one past its last character
     * @param passageScore the cosine of the query and the best passage's vector
     */
    public record Hit(String id, String file, double score, int passageStart, int passageEnd, double passageScore) {
    }

    /**
     * What an update did.
     *
     * @param index     the index, up to date
     * @param embedded  documents embedded (new or changed)
     * @param reused    documents whose vectors were kept
     * @param removed   documents of the old index no longer in the corpus
     * @param tokens    tokens read by the documents embedded
     * @param truncated documents of the index longer than the model (read up to its length)
     * @param written   whether the index file was written
     */
    public record Update(SearchIndex index, int embedded, int reused, int removed, long tokens, int truncated,
                         boolean written) {
    }

    /** Reports an update's embedding as it goes. */
    public interface Progress {
        /** Before the first document: how many will be embedded, and their characters. */
        void started(int documents, long characters);

        /** After each document embedded. */
        void embedded(String id, int tokens, long characters);

        Progress NONE = new Progress() {
            @Override
            public void started(int documents, long characters) {
            }

            @Override
            public void embedded(String id, int tokens, long characters) {
            }
        };
    }

    /** The number of documents. */
    public int size() {
        return entries.size();
    }

    /**
     * Brings the corpus's index up to date and writes it when anything changed.
     *
     * @param warnings receives a notice when an existing index cannot be read or was made another way (then it is rebuilt)
     * @throws LsgException when the corpus has no documents, or a document or the index cannot be read or written
     */
    public static Update update(Corpus corpus, DocumentEmbedder embedder, String key, Progress progress,
                                Consumer<String> warnings) {
        Path file = corpus.indexFile();
        SearchIndex old = load(file, key, embedder.dimension(), warnings).orElse(null);
        Map<String, List<Entry>> oldByFile = new HashMap<>();
        if (old != null) {
            for (Entry e : old.entries) {
                oldByFile.computeIfAbsent(e.file(), f -> new ArrayList<>()).add(e);
            }
        }
        // the new index in corpus order: entries kept from the old one, null where a document is to be embedded
        List<Entry> slots = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        Set<String> present = new HashSet<>();
        int reused = 0;
        boolean sourcesMoved = false;
        for (Corpus.SourceFile f : corpus.files()) {
            List<Entry> before = oldByFile.getOrDefault(f.path(), List.of());
            if (!before.isEmpty() && before.stream().allMatch(e -> e.size() == f.size() && e.mtime() == f.mtime())) {
                before.forEach(e -> present.add(documentKey(e.file(), e.id())));
                slots.addAll(before);
                reused += before.size();
                continue;
            }
            Map<String, Entry> byId = new HashMap<>();
            before.forEach(e -> byId.put(e.id(), e));
            for (Corpus.Document d : corpus.read(f)) {
                present.add(documentKey(d.file(), d.id()));
                Entry same = byId.get(d.id());
                if (same != null && same.sha256().equals(d.sha256())) {
                    slots.add(same.withSource(f));
                    reused++;
                    sourcesMoved = true;
                } else {
                    pending.add(new Pending(slots.size(), d, f));
                    slots.add(null);
                }
            }
        }
        if (slots.isEmpty()) {
            throw new LsgException(corpus.root() + ": no documents (expected .txt, .md, .markdown, .html or .htm files,"
                    + " or {\"id\", \"text\"} lines in a .jsonl file)");
        }
        int removed = old == null ? 0
                : (int) old.entries.stream().filter(e -> !present.contains(documentKey(e.file(), e.id()))).count();

        progress.started(pending.size(), pending.stream().mapToLong(p -> p.document().text().length()).sum());
        long tokens = 0;
        int done = 0;
        for (Pending p : pending) {
            Corpus.Document d = p.document();
            DocumentEmbedder.Embedded x = embedder.embed(d.text());
            int[][] spans = x.passages().stream().map(w -> new int[] {w.start(), w.end()}).toArray(int[][]::new);
            slots.set(p.slot(), new Entry(d.id(), d.file(), p.source().size(), p.source().mtime(), d.sha256(), x.tokens(),
                    x.truncated(), x.vector(), spans, x.passageVectors().toArray(float[][]::new)));
            tokens += x.tokens();
            progress.embedded(d.id(), x.tokens(), d.text().length());
            if (++done % CHECKPOINT_DOCUMENTS == 0 && done < pending.size()) {
                new SearchIndex(key, embedder.dimension(), slots.stream().filter(e -> e != null).toList()).write(file);
            }
        }
        SearchIndex index = new SearchIndex(key, embedder.dimension(), slots);
        boolean write = old == null || !pending.isEmpty() || removed > 0 || sourcesMoved;
        if (write) {
            index.write(file);
        }
        int truncated = (int) index.entries.stream().filter(Entry::truncated).count();
        return new Update(index, pending.size(), reused, removed, tokens, truncated, write);
    }

    /** A document to embed, for slot {@code slot} of the new index. */
    private record Pending(int slot, Corpus.Document document, Corpus.SourceFile source) {
    }

    private static String documentKey(String file, String id) {
        return file + "\u0000" + id;
    }

    /**
     * The best documents for a query vector (unit length), best first, each with its best passage.
     *
     * @param topK how many documents at most
     */
    public List<Hit> search(float[] query, int topK) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("a query vector of " + dimension + " values, not " + query.length);
        }
        List<double[]> scored = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            scored.add(new double[] {dot(query, entries.get(i).vector()), i});
        }
        scored.sort(Comparator.comparingDouble((double[] s) -> -s[0]).thenComparingDouble(s -> s[1]));
        List<Hit> hits = new ArrayList<>();
        for (double[] s : scored.subList(0, Math.min(topK, scored.size()))) {
            Entry e = entries.get((int) s[1]);
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < e.passages().length; p++) {
                double score = dot(query, e.passages()[p]);
                if (score > bestScore) {
                    best = p;
                    bestScore = score;
                }
            }
            hits.add(best < 0 ? new Hit(e.id(), e.file(), s[0], -1, -1, Double.NaN)
                    : new Hit(e.id(), e.file(), s[0], e.spans()[best][0], e.spans()[best][1], bestScore));
        }
        return hits;
    }

    /** The document vectors, in index order (for benchmarks and tests). */
    public List<float[]> documentVectors() {
        return entries.stream().map(Entry::vector).toList();
    }

    /** The document ids, in index order. */
    public List<String> ids() {
        return entries.stream().map(Entry::id).toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (double) a[j] * b[j];
        }
        return s;
    }

    private void write(Path file) {
        int m = entries.stream().mapToInt(e -> e.passages().length).sum();
        float[] docs = new float[entries.size() * dimension];
        float[] passages = new float[m * dimension];
        long[] spans = new long[m * 2];
        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("key", key);
        meta.put("dimension", dimension);
        ArrayNode list = meta.putArray("documents");
        int p = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            System.arraycopy(e.vector(), 0, docs, i * dimension, dimension);
            for (int k = 0; k < e.passages().length; k++, p++) {
                System.arraycopy(e.passages()[k], 0, passages, p * dimension, dimension);
                spans[2 * p] = e.spans()[k][0];
                spans[2 * p + 1] = e.spans()[k][1];
            }
            list.addObject().put("id", e.id()).put("file", e.file()).put("size", e.size()).put("mtime", e.mtime())
                    .put("sha256", e.sha256()).put("tokens", e.tokens()).put("truncated", e.truncated())
                    .put("passages", e.passages().length);
        }
        Map<String, Object> tensors = new LinkedHashMap<>();
        tensors.put("documents", new FloatTensor(new int[] {entries.size(), dimension}, docs));
        tensors.put("passages", new FloatTensor(new int[] {m, dimension}, passages));
        tensors.put("passage_spans", new LongTensor(new int[] {m, 2}, spans));
        SafeTensors.write(file, tensors, Map.of(METADATA_KEY, meta.toString()));
    }

    /** The index in {@code file} when it exists, is readable and was made with {@code key}. */
    static Optional<SearchIndex> load(Path file, String key, int dimension, Consumer<String> warnings) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (SafeTensors st = SafeTensors.open(file)) {
            JsonNode meta = JSON.readTree(st.metadata().getOrDefault(METADATA_KEY, "{}"));
            if (meta.path("format").asInt() != FORMAT || !meta.path("key").asText().equals(key)
                    || meta.path("dimension").asInt() != dimension) {
                warnings.accept(file + " was made by another model or version of lsg4j: rebuilding it");
                return Optional.empty();
            }
            float[] docs = st.floats("documents").data();
            float[] passages = st.floats("passages").data();
            long[] spans = st.longs("passage_spans").data();
            List<Entry> entries = new ArrayList<>();
            int p = 0;
            JsonNode list = meta.get("documents");
            if (list == null || docs.length != list.size() * dimension) {
                throw new LsgException("documents: expected " + (list == null ? 0 : list.size()) + " x " + dimension
                        + " values, found " + docs.length);
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode d = list.get(i);
                int k = d.get("passages").asInt();
                if ((p + k) * dimension > passages.length) {
                    throw new LsgException("passages: fewer rows than the documents list");
                }
                float[][] pv = new float[k][];
                int[][] ps = new int[k][];
                for (int j = 0; j < k; j++, p++) {
                    pv[j] = Arrays.copyOfRange(passages, p * dimension, (p + 1) * dimension);
                    ps[j] = new int[] {(int) spans[2 * p], (int) spans[2 * p + 1]};
                }
                entries.add(new Entry(d.get("id").asText(), d.get("file").asText(), d.get("size").asLong(),
                        d.get("mtime").asLong(), d.get("sha256").asText(), d.get("tokens").asInt(),
                        d.get("truncated").asBoolean(),
                        Arrays.copyOfRange(docs, i * dimension, (i + 1) * dimension), ps, pv));
            }
            return Optional.of(new SearchIndex(key, dimension, entries));
        } catch (IOException | RuntimeException e) {
            warnings.accept(file + " cannot be read (" + e.getMessage() + "): rebuilding it");
            return Optional.empty();
        }
    }
}
