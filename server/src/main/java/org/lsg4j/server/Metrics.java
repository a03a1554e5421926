package org.lsg4j.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters /metrics shows, in the Prometheus text format (version 0.0.4): requests by endpoint
 * and status, request latency and batch duration histograms, batch sizes, the queue, inputs in
 * flight and tokens processed. A few dozen lines did not justify a metrics library.
 */
final class Metrics {
    /** Upper bounds in seconds: 1 ms to about 2 min, doubling. */
    private static final double[] SECONDS = buckets(0.001, 2, 18);
    /** Inputs per batch. */
    private static final double[] INPUTS = buckets(1, 2, 10);
    /** Padded tokens per batch. */
    private static final double[] TOKENS = buckets(16, 2, 14);

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram batchSeconds = new Histogram(SECONDS);
    private final Histogram batchInputs = new Histogram(INPUTS);
    private final Histogram batchTokens = new Histogram(TOKENS);
    private final LongAdder tokens = new LongAdder();

    /** One answered request: its endpoint (the route, or "other"), status and time. */
    void request(String endpoint, int status, long nanos) {
        requests.computeIfAbsent("endpoint=\"" + endpoint + "\",status=\"" + status + "\"", k -> new LongAdder())
                .increment();
        latency.computeIfAbsent(endpoint, k -> new Histogram(SECONDS)).observe(nanos / 1e9);
    }

    /** One batch run by the model. */
    void batch(int inputs, int paddedTokens, long nanos) {
        batchSeconds.observe(nanos / 1e9);
        batchInputs.observe(inputs);
        batchTokens.observe(paddedTokens);
    }

    /** Tokens of the inputs read (before padding). */
    void tokens(int n) {
        tokens.add(n);
    }

    /** The text of /metrics, with the two gauges read now. */
    String render(int queued, int inFlight) {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP lsg_requests_total HTTP requests answered, by endpoint and status.\n");
        out.append("# TYPE lsg_requests_total counter\n");
        new TreeMap<>(requests).forEach((labels, n) ->
                out.append("lsg_requests_total{").append(labels).append("} ").append(n.sum()).append('\n'));
        out.append("# HELP lsg_request_duration_seconds Time from a request's arrival to its answer.\n");
        out.append("# TYPE lsg_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((endpoint, h) ->
                h.render(out, "lsg_request_duration_seconds", "endpoint=\"" + endpoint + "\""));
        out.append("# HELP lsg_batch_duration_seconds Time the model took for one batch.\n");
        out.append("# TYPE lsg_batch_duration_seconds histogram\n");
        batchSeconds.render(out, "lsg_batch_duration_seconds", "");
        out.append("# HELP lsg_batch_inputs Inputs per batch.\n");
        out.append("# TYPE lsg_batch_inputs histogram\n");
        batchInputs.render(out, "lsg_batch_inputs", "");
        out.append("# HELP lsg_batch_tokens Padded tokens per batch (inputs x longest input).\n");
        out.append("# TYPE lsg_batch_tokens histogram\n");
        batchTokens.render(out, "lsg_batch_tokens", "");
        out.append("# HELP lsg_tokens_processed_total Tokens of the inputs the model read.\n");
        out.append("# TYPE lsg_tokens_processed_total counter\n");
        out.append("lsg_tokens_processed_total ").append(tokens.sum()).append('\n');
        out.append("# HELP lsg_queue_size Inputs waiting for a batch.\n");
        out.append("# TYPE lsg_queue_size gauge\n");
        out.append("lsg_queue_size ").append(queued).append('\n');
        out.append("# HELP lsg_inputs_in_flight Inputs admitted and not yet answered.\n");
        out.append("# TYPE lsg_inputs_in_flight gauge\n");
        out.append("lsg_inputs_in_flight ").append(inFlight).append('\n');
        return out.toString();
    }

    private static double[] buckets(double first, double factor, int count) {
        double[] b = new double[count];
        for (int i = 0; i < count; i++) {
            b[i] = first * Math.pow(factor, i);
        }
        return b;
    }

    /** A cumulative histogram with fixed upper bounds. */
    private static final class Histogram {
        private final double[] bounds;
        private final long[] counts;   // per bucket, the last one +Inf
        private double sum;
        private long count;

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new long[bounds.length + 1];
        }

        synchronized void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            counts[i]++;
            sum += v;
            count++;
        }

        synchronized void render(StringBuilder out, String name, String labels) {
            String sep = labels.isEmpty() ? "" : ",";
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts[i];
                String le = i < bounds.length ? format(bounds[i]) : "+Inf";
                out.append(name).append("_bucket{").append(labels).append(sep).append("le=\"").append(le).append("\"} ")
                        .append(cumulative).append('\n');
            }
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name).append("_sum").append(braces).append(' ').append(format(sum)).append('\n');
            out.append(name).append("_count").append(braces).append(' ').append(count).append('\n');
        }

        private static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
