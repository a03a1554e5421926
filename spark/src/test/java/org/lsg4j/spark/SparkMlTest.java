package org.lsg4j.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSH;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Embeddings feed Spark ML as they are: clustering and nearest neighbours on the vector column. */
class SparkMlTest {
    @Test
    void kMeansAndNearestNeighboursRunOnTheEmbeddingColumn() {
        List<String> texts = new ArrayList<>(Fixtures.texts(Fixtures.MLM, "feature-extraction"));
        int distinct = texts.size();
        texts.addAll(texts.subList(0, 3));   // rows distinct..distinct+2 repeat rows 0..2
        LsgTransformer embed = new LsgTransformer().setModel(Fixtures.MLM.toString()).setNormalize(true)
                .setOutputCol("embedding");
        KMeans kMeans = new KMeans().setK(3).setSeed(7).setFeaturesCol("embedding").setPredictionCol("cluster");
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {embed, kMeans})
                .fit(ParityTest.frame(texts, null));
        Dataset<Row> clustered = model.transform(ParityTest.frame(texts, null)).cache();
        assertEquals(SQLDataTypes.VectorType(), clustered.schema().apply("embedding").dataType());

        KMeansModel fitted = (KMeansModel) model.stages()[1];
        assertEquals(3, fitted.clusterCenters().length);
        assertEquals(32, fitted.clusterCenters()[0].size(), "hidden_size of the model");
        List<Row> rows = clustered.orderBy("id").collectAsList();
        for (int i = 0; i < 3; i++) {
            assertEquals(rows.get(i).<Integer>getAs("cluster"), rows.get(distinct + i).<Integer>getAs("cluster"),
                    "a repeated document lands in its cluster");
        }
        assertTrue(rows.stream().map(r -> r.<Integer>getAs("cluster")).distinct().count() > 1, "more than one cluster used");

        BucketedRandomProjectionLSHModel lsh = new BucketedRandomProjectionLSH().setInputCol("embedding")
                .setOutputCol("hashes").setBucketLength(4.0).setNumHashTables(4).setSeed(7).fit(clustered);
        Vector query = rows.get(1).getAs("embedding");
        List<Row> nearest = lsh.approxNearestNeighbors(clustered, query, 2, "distance").toDF().collectAsList();
        assertEquals(2, nearest.size());
        for (Row r : nearest) {   // document 1 and its repetition, at distance 0
            assertTrue(r.<Integer>getAs("id") == 1 || r.<Integer>getAs("id") == distinct + 1, "id " + r.getAs("id"));
            assertEquals(0.0, r.<Double>getAs("distance"), 1e-12);
        }
        double nextDistance = rows.stream().filter(r -> r.<Integer>getAs("id") % distinct != 1)
                .mapToDouble(r -> Math.sqrt(Vectors.sqdist(query, r.getAs("embedding")))).min().orElseThrow();
        assertTrue(nextDistance > 1e-3, "the other documents are elsewhere: " + nextDistance);
    }
}
