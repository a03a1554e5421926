package org.lsg4j.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Locale;

/**
 * A batch job for spark-submit: reads JSON lines (or any source {@code spark.read().json} reads),
 * runs a {@link LsgTransformer} on them and writes Parquet (the input's columns, the output and
 * the error), then prints how many documents it ran, how many failed and the rate (the time of
 * the write, which runs every task; Spark's start is not counted).
 *
 * <pre>
 * spark-submit --class org.lsg4j.spark.LsgJob lsg4j-spark-VERSION-all.jar \
 *     INPUT OUTPUT [NAME=VALUE ...]       # OUTPUT "noop" runs everything and writes nothing
 * </pre>
 *
 * {@code partitions=N} first spreads the input over N partitions (a small file is read as one,
 * which would keep all but one task slot idle); use a few per task slot of the cluster, so that
 * slow documents even out.
 * Each {@code NAME=VALUE} sets the transformer param of that name ({@code task=embed},
 * {@code model=ccdv/lsg-distilroberta-base-4096}, {@code batchSize=4}, {@code targets=[" capital"]});
 * a string param takes the value as it is, the others take JSON as Spark ML saves them.
 */
public final class LsgJob {
    private LsgJob() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: LsgJob INPUT OUTPUT|noop [PARAM=VALUE ...]");
            System.exit(2);
        }
        LsgTransformer transformer = configure(new LsgTransformer(), args);
        SparkSession spark = SparkSession.builder().appName("lsg4j " + transformer.getTask()).getOrCreate();
        try {
            Dataset<Row> in = spark.read().json(args[0]);
            int partitions = partitions(args);
            if (partitions > 0) {
                in = in.repartition(partitions);
            }
            Dataset<Row> out = transformer.transform(in);
            long start = System.nanoTime();
            if (args[1].equals("noop")) {
                out.write().format("noop").mode("overwrite").save();
            } else {
                out.write().mode("overwrite").parquet(args[1]);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long documents = in.count();
            String failed = "";
            if (!args[1].equals("noop")) {   // read back the error column only
                Dataset<Row> written = spark.read().parquet(args[1]);
                failed = " (" + written.filter(written.col(transformer.getErrorCol()).isNotNull()).count() + " failed)";
            }
            System.out.printf(Locale.ROOT, "lsg4j: %d documents%s in %.1f s: %.3f documents/s%n",
                    documents, failed, seconds, documents / seconds);
        } finally {
            spark.stop();
        }
    }

    /** The {@code partitions=N} of {@code args[2..]}, or 0. */
    static int partitions(String[] args) {
        int n = 0;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("partitions=")) {
                n = Integer.parseInt(args[i].substring("partitions=".length()));
            }
        }
        return n;
    }

    /** Sets each {@code NAME=VALUE} of {@code args[2..]} (but partitions) on the transformer. */
    static LsgTransformer configure(LsgTransformer t, String[] args) {
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected PARAM=VALUE, found \"" + args[i] + "\"");
            }
            if (args[i].startsWith("partitions=")) {
                continue;
            }
            Param<Object> param = t.getParam(args[i].substring(0, eq));
            String value = args[i].substring(eq + 1);
            boolean string = param.getClass() == Param.class;
            t.set(param, string ? value : param.jsonDecode(value));
        }
        return t;
    }
}
