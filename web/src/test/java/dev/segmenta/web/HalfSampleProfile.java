package dev.segmenta.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The columnar engine holds a stable half of the users, so previews are estimates (docs/spark.md). */
public class HalfSampleProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("segmenta.columnar.sample-rate", "0.5");
    }
}
