package dev.segmenta.core.estimate;

/**
 * How many users match, estimated from a uniform sample: {@code matched} of the {@code sampled} users of a population of
 * {@code population} matched, so about {@code population · matched / sampled}, with a {@code confidence} interval
 * ({@code low}..{@code high}, whole users, inside 0..population).
 *
 * <p>The interval is Wilson's score interval for the proportion (it stays sensible at 0 and near 0, where a segment of
 * rare users lives), narrowed by the finite-population correction {@code sqrt((N − n) / (N − 1))} because the sample is
 * drawn without replacement; when the sample is the whole population the estimate is exact and the interval is the
 * count itself. Example: 230 of 10,000 sampled users of 1,000,000 → about 23,000, 95 % between 20,200 and 26,100.
 */
public record Estimate(long count, long low, long high, double confidence, long sampled, long population) {

    /** {@code confidence} is 0.90, 0.95 or 0.99 (the normal quantiles are exact constants for those). */
    public static Estimate of(long matched, long sampled, long population, double confidence) {
        if (sampled < 0 || matched < 0 || matched > sampled || sampled > population) {
            throw new IllegalArgumentException("need 0 <= matched <= sampled <= population, got " + matched + ", " + sampled
                    + ", " + population);
        }
        if (sampled == population) {
            return new Estimate(matched, matched, matched, confidence, sampled, population);
        }
        if (sampled == 0) {
            return new Estimate(0, 0, population, confidence, 0, population);
        }
        double z = z(confidence);
        double n = sampled;
        double p = matched / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        half *= Math.sqrt((population - n) / Math.max(1.0, population - 1.0));
        long low = Math.max(0, (long) Math.floor((center - half) * population));
        long high = Math.min(population, (long) Math.ceil((center + half) * population));
        long count = Math.round(p * population);
        return new Estimate(count, Math.min(low, count), Math.max(high, count), confidence, sampled, population);
    }

    public boolean covers(long exact) {
        return low <= exact && exact <= high;
    }

    private static double z(double confidence) {
        if (confidence == 0.90) {
            return 1.6448536269514722;
        }
        if (confidence == 0.95) {
            return 1.959963984540054;
        }
        if (confidence == 0.99) {
            return 2.5758293035489004;
        }
        throw new IllegalArgumentException("confidence is 0.90, 0.95 or 0.99, got " + confidence);
    }
}
