package dev.mlops.llm.tuning;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.Pricing;
import dev.mlops.llm.train.TrainingResult;
import java.util.Locale;
import java.util.Objects;

/**
 * How a fine-tuning trial's cost is measured, the second objective of {@link FineTuneTuning}: device time, tokens
 * processed, or either priced. Implementations are immutable records.
 */
public sealed interface TrainingCost {
    /**
     * Measures the cost of a training run.
     *
     * @param result the run's outcome
     * @return the cost, 0 or more
     */
    double of(TrainingResult result);

    /**
     * Returns the name of the cost objective, which a tracked study logs as a metric of each trial's run.
     *
     * @return for instance {@code cost_device_seconds}
     */
    String metricName();

    /**
     * Measures seconds of training on the device (wall time of the training loop).
     *
     * @return the measure
     */
    static TrainingCost deviceSeconds() {
        return new DeviceSeconds();
    }

    /**
     * Counts the input tokens the training processed; unlike time, it is the same on every run of a trial.
     *
     * @return the measure
     */
    static TrainingCost tokens() {
        return new Tokens();
    }

    /**
     * Prices the tokens processed as prompt tokens of a price list.
     *
     * @param pricing the prices
     * @return the measure
     */
    static TrainingCost pricedTokens(Pricing pricing) {
        return new PricedTokens(pricing);
    }

    /**
     * Prices device time by the hour.
     *
     * @param pricePerHour the price of one device-hour, positive
     * @param currency the currency code, for instance {@code USD}
     * @return the measure
     * @throws InvalidArgumentException if the price is not positive and finite, or the currency is not 1 to 16
     *     letters
     */
    static TrainingCost pricedDeviceHours(double pricePerHour, String currency) {
        return new PricedDeviceHours(pricePerHour, currency);
    }

    /** Device seconds: {@link TrainingResult#elapsed()}. */
    record DeviceSeconds() implements TrainingCost {
        @Override
        public double of(TrainingResult result) {
            return result.elapsed().toNanos() / 1e9;
        }

        @Override
        public String metricName() {
            return "cost_device_seconds";
        }
    }

    /** Tokens processed: {@link TrainingResult#tokens()}. */
    record Tokens() implements TrainingCost {
        @Override
        public double of(TrainingResult result) {
            return result.tokens();
        }

        @Override
        public String metricName() {
            return "cost_tokens";
        }
    }

    /**
     * Tokens processed, priced as prompt tokens.
     *
     * @param pricing the prices
     */
    record PricedTokens(Pricing pricing) implements TrainingCost {
        /**
         * Checks the pricing.
         *
         * @throws NullPointerException if it is null
         */
        public PricedTokens {
            Objects.requireNonNull(pricing, "pricing");
        }

        @Override
        public double of(TrainingResult result) {
            return pricing.cost(result.tokens(), 0);
        }

        @Override
        public String metricName() {
            return "cost_" + currencyName(pricing.currency());
        }
    }

    /**
     * Device time priced by the hour.
     *
     * @param pricePerHour the price of one device-hour
     * @param currency the currency code
     */
    record PricedDeviceHours(double pricePerHour, String currency) implements TrainingCost {
        /**
         * Validates the price.
         *
         * @throws InvalidArgumentException if the price is not positive and finite, or the currency is not 1 to 16
         *     letters
         */
        public PricedDeviceHours {
            if (!(pricePerHour > 0) || Double.isInfinite(pricePerHour)) {
                throw new InvalidArgumentException("pricePerHour must be a positive finite price, but was "
                        + pricePerHour);
            }
            currencyName(currency);
        }

        @Override
        public double of(TrainingResult result) {
            return result.elapsed().toNanos() / 3.6e12 * pricePerHour;
        }

        @Override
        public String metricName() {
            return "cost_" + currencyName(currency);
        }
    }

    private static String currencyName(String currency) {
        if (currency == null || currency.isEmpty() || currency.length() > 16
                || !currency.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
            throw new InvalidArgumentException("currency '" + currency + "' must be 1 to 16 letters, for instance "
                    + "USD");
        }
        return currency.toLowerCase(Locale.ROOT);
    }
}
